namespace Mstg;

/// <summary>
/// A static finding's subject: a place in one bundle of the app. <see cref="Bundle"/> is the bundle's path inside the app
/// (<c>Payload/App.app/PlugIns/Share.appex</c>); <see cref="Location"/> a plist key path
/// (<c>Info.plist:NSAppTransportSecurity/NSExceptionDomains/example.com</c>) or a binary place
/// (<c>App[arm64]:__TEXT,__cstring+0x1c0</c>); <see cref="Line"/> the plist key's line when the plist is text.
/// </summary>
public sealed record BundleSubject(string Bundle, string Location) : FindingSubject
{
    /// <summary>Line of the plist key, for text plists; null for binary plists and binary places. Set by the scanner, never by rules.</summary>
    public int? Line { get; init; }

    public override CheckKind Kind => CheckKind.Static;
    public override string Scope => Bundle;
    public override string Place => Location;
    public override string Display => $"[{Bundle}] {Location}";

    public override SubjectSarifLocation SarifLocation => new(ArtifactPath, Line ?? 1, Location, null);

    /// <summary>
    /// The file the location is in, as a path inside the package: <c>Info.plist:…</c> of bundle <c>Payload/App.app</c> is
    /// <c>Payload/App.app/Info.plist</c>; <c>App[arm64]:…</c> is the executable <c>Payload/App.app/App</c>; a location that
    /// already names a path (<c>Payload/App.app/PlugIns/X.appex/Info.plist:…</c>) is kept.
    /// </summary>
    public string ArtifactPath
    {
        get
        {
            var colon = Location.IndexOf(':');
            var file = colon > 0 ? Location[..colon] : Location;
            var bracket = file.IndexOf('[');
            if (bracket > 0) file = file[..bracket];
            return file.Contains('/') ? file : $"{Bundle.TrimEnd('/')}/{file}";
        }
    }
}
