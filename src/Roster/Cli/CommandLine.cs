namespace Roster.Cli;

/// <summary>An option of a verb: <c>--name VALUE</c> (or <c>--name=VALUE</c>), or a flag.</summary>
internal sealed record OptionSpec(string Name, string Help, string? ValueName = null, bool Required = false)
{
    public bool IsFlag => ValueName is null;
    public string Usage => IsFlag ? $"--{Name}" : $"--{Name} {ValueName}";
}

/// <summary>A verb of the command line (<c>token create</c>), its options and positional arguments.</summary>
internal sealed record VerbSpec(string Path, string Summary, IReadOnlyList<OptionSpec> Options, IReadOnlyList<string> Arguments,
    Func<Invocation, Task<int>> Run)
{
    public string Usage =>
        string.Join(' ', new[] { "roster", Path }.Concat(Arguments.Select(a => a.ToUpperInvariant()))
            .Concat(Options.Select(o => o.Required ? o.Usage : $"[{o.Usage}]")));
}

/// <summary>A command line the user got wrong: shown as one line, with where to find help.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>A parsed command: the verb, its option values and its arguments.</summary>
internal sealed class Invocation(VerbSpec verb, Dictionary<string, string?> options, List<string> arguments)
{
    public VerbSpec Verb { get; } = verb;
    public IReadOnlyList<string> Arguments { get; } = arguments;
    public TextWriter Out { get; set; } = Console.Out;
    public TextWriter Error { get; set; } = Console.Error;

    public bool Has(string name) => options.ContainsKey(name);
    public string? Get(string name) => options.GetValueOrDefault(name);
    public string Require(string name) => Get(name) ?? throw new UsageException($"'roster {Verb.Path}' needs --{name}.");
}

/// <summary>
/// The parser: a verb is the longest run of leading words that names one (<c>token create</c>);
/// every option is checked against the verb's list, so a typo is an error, not silently ignored.
/// </summary>
internal static class CommandLine
{
    public static (VerbSpec? Verb, Invocation? Invocation, bool WantsHelp) Parse(IReadOnlyList<VerbSpec> verbs, IReadOnlyList<OptionSpec> globalOptions, string[] args)
    {
        var words = args.TakeWhile(a => !a.StartsWith('-')).ToList();
        VerbSpec? verb = null;
        var consumed = 0;
        for (var n = words.Count; n > 0 && verb is null; n--)
        {
            var path = string.Join(' ', words.Take(n));
            verb = verbs.FirstOrDefault(v => v.Path == path);
            if (verb is not null) consumed = n;
        }
        var wantsHelp = args.Contains("--help") || args.Contains("-h");
        if (verb is null)
        {
            if (words.Count == 0 || wantsHelp && verbs.All(v => !v.Path.StartsWith(words[0] + " ", StringComparison.Ordinal) && v.Path != words[0]))
                return (null, null, true);
            var group = verbs.Where(v => v.Path.StartsWith(words[0] + " ", StringComparison.Ordinal)).Select(v => v.Path).ToList();
            if (group.Count > 0)
            {
                if (wantsHelp) return (null, null, true);
                throw new UsageException($"'roster {words[0]}' needs one of: {string.Join(", ", group.Select(g => g[(words[0].Length + 1)..]))}.");
            }
            throw new UsageException($"Unknown command '{words[0]}'.");
        }
        if (wantsHelp) return (verb, null, true);

        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        var arguments = new List<string>();
        var all = verb.Options.Concat(globalOptions).ToList();
        for (var i = consumed; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                if (arg == "--") { arguments.AddRange(args.Skip(i + 1)); break; }
                arguments.Add(arg);
                continue;
            }
            var name = arg[2..];
            string? value = null;
            var equals = name.IndexOf('=');
            if (equals >= 0) { value = name[(equals + 1)..]; name = name[..equals]; }
            var spec = all.FirstOrDefault(o => o.Name == name)
                       ?? throw new UsageException($"Unknown option '--{name}' for 'roster {verb.Path}'.");
            if (spec.IsFlag)
            {
                if (value is not null) throw new UsageException($"--{name} takes no value.");
            }
            else if (value is null)
            {
                if (i + 1 >= args.Length) throw new UsageException($"--{name} needs a value ({spec.ValueName}).");
                value = args[++i];
            }
            if (options.ContainsKey(name)) throw new UsageException($"--{name} is given twice.");
            options[name] = value;
        }

        foreach (var required in verb.Options.Where(o => o.Required))
        {
            if (!options.ContainsKey(required.Name)) throw new UsageException($"'roster {verb.Path}' needs --{required.Name} {required.ValueName}.");
        }
        if (arguments.Count != verb.Arguments.Count)
        {
            throw new UsageException(verb.Arguments.Count == 0
                ? $"'roster {verb.Path}' takes no arguments, but got '{arguments[0]}'."
                : $"'roster {verb.Path}' takes {string.Join(" ", verb.Arguments.Select(a => a.ToUpperInvariant()))}.");
        }
        return (verb, new Invocation(verb, options, arguments), false);
    }
}
