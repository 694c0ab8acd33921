namespace Roster.Scim.Filtering;

internal enum FilterTokenKind
{
    End,
    /// <summary>A run of characters up to whitespace, a quote, a parenthesis or a bracket: attribute paths,
    /// operators, keywords, numbers, true/false/null, and <c>.subAttr</c> after a value filter.</summary>
    Word,
    /// <summary>A double-quoted string; <see cref="FilterToken.Text"/> holds the unescaped value.</summary>
    String,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
}

/// <param name="Position">Zero-based offset of the token's first character in the source text.</param>
/// <param name="Length">Length of the token in the source text (for strings, including the quotes).</param>
/// <param name="Text">The word, the unescaped string value, or the punctuation character.</param>
internal readonly record struct FilterToken(FilterTokenKind Kind, int Position, int Length, string Text)
{
    public bool IsWord(string keyword) =>
        Kind == FilterTokenKind.Word && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>How the token reads in an error message: its source text in quotes.</summary>
    public string Describe(string source) =>
        Kind == FilterTokenKind.End ? "end of input" : $"token '{source.Substring(Position, Length)}'";
}
