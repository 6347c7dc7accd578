namespace Mstg.Analysis.Ats;

/// <summary>The TLS versions <c>NSExceptionMinimumTLSVersion</c> can name. Ordered, so "weaker" is "smaller".</summary>
public enum TlsVersion
{
    Tls10 = 10,
    Tls11 = 11,
    Tls12 = 12,
    Tls13 = 13,
}

public static class TlsVersions
{
    /// <summary>ATS's minimum when no exception lowers it.</summary>
    public const TlsVersion AtsDefault = TlsVersion.Tls12;

    /// <summary>The four strings Apple documents, matched exactly as CFNetwork compares them.</summary>
    public static bool TryParse(string text, out TlsVersion version)
    {
        switch (text)
        {
            case "TLSv1.0": version = TlsVersion.Tls10; return true;
            case "TLSv1.1": version = TlsVersion.Tls11; return true;
            case "TLSv1.2": version = TlsVersion.Tls12; return true;
            case "TLSv1.3": version = TlsVersion.Tls13; return true;
            default: version = AtsDefault; return false;
        }
    }

    public static string ToPlistString(this TlsVersion version) => version switch
    {
        TlsVersion.Tls10 => "TLSv1.0",
        TlsVersion.Tls11 => "TLSv1.1",
        TlsVersion.Tls12 => "TLSv1.2",
        _ => "TLSv1.3",
    };

    public static bool IsDeprecated(this TlsVersion version) => version < TlsVersion.Tls12;
}
