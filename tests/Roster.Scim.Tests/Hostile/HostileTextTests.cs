using System.Text;
using Roster.Scim.Logging;
using Roster.Scim.Text;

namespace Roster.Scim.Tests.Hostile;

public sealed class HostileTextTests
{
    [Theory]
    [InlineData("Jos\u00e9@Acme.example", "jose\u0301@acme.example")]
    [InlineData("JOSE\u0301@ACME.EXAMPLE", "jos\u00e9@acme.example")]
    [InlineData("\u00c5ngstr\u00f6m", "A\u030angstro\u0308m")]
    public void Case_and_normalization_form_fold_to_one_key(string one, string other) =>
        Assert.Equal(ScimText.Fold(one), ScimText.Fold(other));

    /// <summary>Roster's own NFC (the runtime's does nothing in invariant mode) against 600 strings of
    /// Latin, Greek, Hangul, Devanagari, Hebrew, kana and musical symbols with their combining marks,
    /// normalized by Python's unicodedata.</summary>
    [Fact]
    public void Roster_composes_as_the_unicode_reference_does()
    {
        static string Text(string hex) => string.Concat(hex.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(h => char.ConvertFromUtf32(int.Parse(h, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture))));
        var vectors = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Hostile", "nfc-vectors.txt")).Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(600, vectors.Count);
        foreach (var line in vectors)
        {
            var parts = line.Split(';');
            Assert.True(Text(parts[1]) == CanonicalComposition.Normalize(Text(parts[0])), $"NFC of {parts[0]} should be {parts[1]}");
        }
    }

    [Fact]
    public void Different_letters_keep_different_keys() =>
        Assert.NotEqual(ScimText.Fold("jose@acme.example"), ScimText.Fold("jos\u00e9@acme.example"));

    [Fact]
    public void Nul_and_lone_surrogates_are_not_acceptable()
    {
        // Built in code: a test case's arguments would reach the test with the lone surrogates replaced.
        Assert.False(ScimText.IsAcceptable("a\0b"));
        Assert.False(ScimText.IsAcceptable(new string('\ud800', 1)));
        Assert.False(ScimText.IsAcceptable("x" + new string('\udc00', 1)));
        Assert.False(ScimText.IsAcceptable(new string('\ud800', 1) + "x"));
        Assert.True(ScimText.IsAcceptable("\ud83d\ude00 ok"));
        Assert.True(ScimText.IsAcceptable("e\u0301"));
    }

    [Fact]
    public void A_broken_body_keeps_no_nul_for_the_log() =>
        Assert.DoesNotContain('\0', MessageRedactor.Redact(Encoding.UTF8.GetBytes("{\"userName\":\"a\0b\"")).Text);

    /// <summary>Found by the SCIM fuzzing: a broken body with 64 KiB of letters held its request for
    /// minutes in the secret-masking pattern (backtracking over the whole run from every position).</summary>
    [Fact]
    public async Task A_long_run_of_letters_in_a_broken_body_is_masked_at_once()
    {
        var body = Encoding.UTF8.GetBytes("{\"emails\":[\"" + new string('x', 300_000) + "\"], \"password\": \"hunter2\" [[[");
        var masking = Task.Run(() => MessageRedactor.Redact(body));
        // A hang guard, not a timing assertion: before the fix this took many minutes.
        var redacted = await masking.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.True(redacted.Truncated);
        Assert.DoesNotContain("hunter2", MessageRedactor.Redact("{\"password\": \"hunter2\" [[[").Text);
    }
}
