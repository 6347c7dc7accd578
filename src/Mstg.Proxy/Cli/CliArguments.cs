namespace Mstg.Proxy.Cli;

/// <summary>Minimal "--name value" / "--flag" parser; repeated options accumulate. Unknown options are errors.</summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public CliArguments(string[] args, IReadOnlySet<string> valueOptions, IReadOnlySet<string> flagOptions)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0) { inline = arg[(eq + 1)..]; arg = arg[..eq]; }
            if (flagOptions.Contains(arg))
            {
                // "--no-redact=false" must not quietly switch redaction off: flags take no value at all.
                if (inline is not null) throw new MstgInputException("command line", arg, "takes no value");
                _flags.Add(arg);
                continue;
            }
            if (!valueOptions.Contains(arg))
                throw new MstgInputException("command line", $"argument {i + 1}", $"unknown option '{arg}'");
            var value = inline ?? (i + 1 < args.Length ? args[++i] : throw new MstgInputException("command line", arg, "missing value"));
            if (!_values.TryGetValue(arg, out var list)) _values[arg] = list = [];
            list.Add(value);
        }
    }

    public string? Value(string name) => _values.TryGetValue(name, out var l) ? l[^1] : null;

    public IReadOnlyList<string> Values(string name) =>
        _values.TryGetValue(name, out var l) ? l.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList() : [];

    public bool Flag(string name) => _flags.Contains(name);
}
