namespace Mstg.Cli;

/// <summary>
/// Minimal GNU-style parser: <c>--name value</c>, <c>--name=value</c>, boolean flags and positionals.
/// System.CommandLine is not on the package feed here, and the CLI needs little.
/// </summary>
internal sealed class ArgParser
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    public static ArgParser Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> flags, IReadOnlyCollection<string> options)
    {
        var parsed = new ArgParser();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                parsed.Positionals.AddRange(args.Skip(i + 1));
                break;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                parsed.Positionals.Add(arg);
                continue;
            }
            var eq = arg.IndexOf('=');
            var name = eq > 0 ? arg[..eq] : arg;
            if (flags.Contains(name))
            {
                if (eq > 0) throw new UsageException($"{name} takes no value");
                parsed._flags.Add(name);
            }
            else if (options.Contains(name))
            {
                string value;
                if (eq > 0) value = arg[(eq + 1)..];
                else if (i + 1 < args.Count) value = args[++i];
                else throw new UsageException($"{name} needs a value");
                if (!parsed._options.TryGetValue(name, out var list)) parsed._options[name] = list = [];
                list.Add(value);
            }
            else
            {
                throw new UsageException($"unknown option '{name}'");
            }
        }
        return parsed;
    }

    public bool Has(string flag) => _flags.Contains(flag);
    public IReadOnlyList<string> All(string option) => _options.TryGetValue(option, out var l) ? l : [];

    public string? Single(string option)
    {
        var values = All(option);
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw new UsageException($"{option} given more than once"),
        };
    }
}
