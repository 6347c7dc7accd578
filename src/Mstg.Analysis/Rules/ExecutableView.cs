using Mstg.Analysis.Binary.Urls;
using Mstg.MachO;

namespace Mstg.Analysis.Rules;

/// <summary>
/// What binary rules may read of a bundle's main executable. FairPlay encrypts the <c>__TEXT</c> contents
/// (code and string sections) but not the load commands or the symbol table in <c>__LINKEDIT</c>; so when the
/// image is encrypted, imports and dylibs stay usable while strings and code are treated as unreadable.
/// </summary>
internal sealed class ExecutableView
{
    private ExecutableView(BundleContext context, MachOImage? image, string? unreadableReason)
    {
        Context = context;
        Image = image;
        UnreadableReason = unreadableReason;
    }

    public BundleContext Context { get; }

    /// <summary>The slice rules look at (arm64 first), or null when there is no usable executable.</summary>
    public MachOImage? Image { get; }

    /// <summary>Why string and code contents cannot be examined, or null when they can.</summary>
    public string? UnreadableReason { get; }

    /// <summary>True when the bundle has an executable whose imports and load commands could be read.</summary>
    public bool HasImage => Image is not null;

    /// <summary>True when strings and code sections can be trusted (present and not encrypted).</summary>
    public bool ContentsReadable => Image is not null && UnreadableReason is null;

    /// <summary>True when there was an executable the rules wanted to read but could not (error or encryption).</summary>
    public bool Blocked => UnreadableReason is not null;

    public string ExecutableName => Context.Bundle.Executable?.Name ?? Context.Bundle.Name;

    /// <summary>
    /// The bundle's view, built once and shared by every rule: its lookup sets cover every string and symbol of the
    /// executable, so rebuilding them per rule cost more than the rules themselves.
    /// </summary>
    public static ExecutableView For(BundleContext context) => context.View ??= Create(context);

    private static ExecutableView Create(BundleContext context)
    {
        if (context.ExecutableError is { } error)
            return new ExecutableView(context, null, $"the executable could not be read ({error.Problem})");
        var image = context.Executable?.Primary;
        if (image is null) return new ExecutableView(context, null, null);
        if (image.IsEncrypted)
            return new ExecutableView(context, image,
                $"the executable is FairPlay-encrypted (cryptid {image.Encryption!.CryptId}); its code and strings cannot be read. Scan a decrypted build");
        return new ExecutableView(context, image, null);
    }

    /// <summary>Strings of readable sections; empty when the contents are encrypted. Enumerating decodes every string:
    /// prefer <see cref="HasString"/>, <see cref="FindString"/> or <see cref="MachOStringTable.Where"/>.</summary>
    public MachOStringTable Strings => ContentsReadable ? Image!.Strings : MachOStringTable.Empty;

    /// <summary><c>App[arm64]:__TEXT,__cstring+0x1c0</c>.</summary>
    public string At(string section, ulong offset) => $"{ExecutableName}[{Image?.Architecture ?? "?"}]:{section}+0x{offset:x}";

    /// <summary><c>App[arm64]:imports</c> and similar places without an offset.</summary>
    public string AtPart(string part) => $"{ExecutableName}[{Image?.Architecture ?? "?"}]:{part}";

    /// <summary>Path of the executable inside the package, for findings about the whole file.</summary>
    public string FileLocation => Context.Bundle.Executable?.Path ?? Context.Bundle.Path;

    /// <summary>The Skipped finding a blocked rule reports instead of passing.</summary>
    public Finding Skipped(string ruleId, string whatWasSkipped) =>
        RuleFindings.Create(Context, ruleId, Verdict.Skipped,
            $"{whatWasSkipped} was not checked because {UnreadableReason}. This is not a pass.", FileLocation);

    /// <summary>Imported symbol names without the leading underscore C adds (<c>_socket</c> → <c>socket</c>).</summary>
    public IReadOnlySet<string> ImportNames => _importNames ??= Image is null
        ? new HashSet<string>()
        : Image.Imports.Select(i => SymbolNames.Plain(i.Name)).ToHashSet(StringComparer.Ordinal);
    private HashSet<string>? _importNames;

    /// <summary>Symbols defined in this image (external or local), without the leading underscore.</summary>
    public IReadOnlySet<string> DefinedSymbolNames => _defined ??= Image is null
        ? new HashSet<string>()
        : Image.Symbols.Where(s => !s.IsUndefined).Select(s => SymbolNames.Plain(s.Name)).ToHashSet(StringComparer.Ordinal);
    private HashSet<string>? _defined;

    /// <summary>True when a readable section holds exactly <paramref name="value"/> (a selector, class name, literal).</summary>
    public bool HasString(string value) => Strings.Contains(value);

    /// <summary>Objective-C classes named in <c>__objc_classname</c> (defined or referenced by this image).</summary>
    public IReadOnlySet<string> ObjcClassNames => _classes ??= Strings
        .InSections(s => s.EndsWith(",__objc_classname", StringComparison.Ordinal)).Select(s => s.Value).ToHashSet(StringComparer.Ordinal);
    private HashSet<string>? _classes;

    /// <summary>The first readable string equal to <paramref name="value"/>, for a location.</summary>
    public MachOString? FindString(string value) => Strings.Find(value);

    /// <summary>
    /// A result other rule families derive from this bundle's executable and share, made once by <paramref name="create"/>
    /// (the detected libraries, which two rules ask for; the pinning clues PIN-NONE and PIN-DOMAIN-NOT-PINNED both collect).
    /// Keyed by type so this shared view needs no reference to the families that own the results. A view is used by one
    /// thread at a time, like its context.
    /// </summary>
    internal T Derived<T>(Func<T> create) where T : class
    {
        if (_derived.TryGetValue(typeof(T), out var known)) return (T)known;
        var made = create();
        _derived[typeof(T)] = made;
        return made;
    }
    private readonly Dictionary<Type, object> _derived = [];

    /// <summary>
    /// Every http(s) URL in the readable strings with the place it was found, extracted once for the rules that need
    /// URLs (cleartext URLs, pinned-domain coverage).
    /// </summary>
    public IReadOnlyList<(UrlCandidate Url, string Location)> Urls => _urls ??= ExtractUrls();
    private List<(UrlCandidate, string)>? _urls;

    private List<(UrlCandidate, string)> ExtractUrls()
    {
        var urls = new List<(UrlCandidate, string)>();
        foreach (var s in Strings.Where(static utf8 => utf8.IndexOf("://"u8) >= 0))
        {
            foreach (var url in UrlExtractor.Extract(s.Value)) urls.Add((url, At(s.Section, s.Offset)));
        }
        return urls;
    }

    /// <summary>True when the image imports the Objective-C class from another image.</summary>
    public bool ImportsClass(string name) => ImportNames.Contains("OBJC_CLASS_$_" + name);

    /// <summary>True when the image defines the Objective-C class itself (statically linked code).</summary>
    public bool DefinesClass(string name) => DefinedSymbolNames.Contains("OBJC_CLASS_$_" + name);
}
