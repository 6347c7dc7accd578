namespace Mstg;

/// <summary>
/// How a rule or a suite check reaches its verdict. Every rule has one (<see cref="RuleDescriptor.Kind"/>), every finding
/// one through its subject (<see cref="FindingSubject.Kind"/>), and the suites expose it as the <c>Kind</c> trait.
/// </summary>
public enum CheckKind
{
    /// <summary>Read from the app package (plist, Mach-O, bundled files): <c>mstg scan</c> and the static suite.</summary>
    Static,
    /// <summary>Seen while the app ran through the interception proxy under a certificate condition.</summary>
    Dynamic,
    /// <summary>Probed on the app's server endpoints (TLS versions, ciphers, certificate chain): <c>mstg tls</c>.</summary>
    Server,
}

public static class CheckKinds
{
    /// <summary>The lower-case name the <c>Kind</c> trait, the Allure tag and the JSON report use (<c>static</c>, <c>dynamic</c>, <c>server</c>).</summary>
    public static string Name(this CheckKind kind) => kind switch
    {
        CheckKind.Static => "static",
        CheckKind.Dynamic => "dynamic",
        _ => "server",
    };
}
