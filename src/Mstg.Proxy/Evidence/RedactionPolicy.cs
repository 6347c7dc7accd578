namespace Mstg.Proxy.Evidence;

/// <summary>
/// Which header names and field names count as secrets. Headers match by exact name or by a fragment anywhere in
/// the name (`X-Amz-Security-Token` contains "token"); query, form and JSON field names match by word
/// (`accessToken`, `access_token`, `access%5Ftoken` → access + token), because body keys such as "author",
/// "keyboard" or "monkey" are common and must stay readable. <see cref="KeptHeaders"/> names headers that
/// contain a fragment but carry public evidence the suites need.
/// </summary>
public sealed record RedactionPolicy
{
    public static RedactionPolicy Default { get; } = new();

    /// <summary>Always masked, whatever the fragments say.</summary>
    public IReadOnlyList<string> SecretHeaders { get; init; } =
    [
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "X-Auth-Token", "X-Csrf-Token",
        "X-Xsrf-Token", "X-Amz-Security-Token", "X-Amz-Credential", "Authentication-Info",
    ];

    /// <summary>A header whose name contains one of these (case-insensitive) is masked, unless it is a kept header.</summary>
    public IReadOnlyList<string> SecretHeaderFragments { get; init; } =
        ["token", "secret", "key", "signature", "session", "password", "passwd", "auth", "credential", "cookie", "jwt"];

    /// <summary>
    /// Never masked although a fragment matches: challenges (scheme and realm, no secret), HPKP pins (public key
    /// hashes: pinning evidence) and the WebSocket handshake nonce.
    /// </summary>
    public IReadOnlyList<string> KeptHeaders { get; init; } =
        ["WWW-Authenticate", "Proxy-Authenticate", "Public-Key-Pins", "Public-Key-Pins-Report-Only", "Sec-WebSocket-Key"];

    /// <summary>
    /// A field is secret when one of its words equals one of these, or a word ends with one of the entries of five
    /// letters or more (`refreshtoken`, `usersession`); short entries (key, sig, sid, pwd) must match a whole word.
    /// </summary>
    public IReadOnlyList<string> SecretFieldWords { get; init; } =
    [
        "token", "secret", "password", "passwd", "pwd", "passphrase", "key", "apikey", "signature", "sig", "session",
        "sessionid", "sid", "auth", "authorization", "credential", "credentials", "cookie", "jwt", "otp", "bearer",
    ];
}
