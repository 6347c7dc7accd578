namespace Mstg.Devices.Chromium;

/// <summary>
/// A per-run NSS certificate database, the trust store Chromium on Linux reads from <c>$HOME/.pki/nssdb</c>: made with
/// certutil (libnss3-tools), holding the reference root and, when a condition needs it, the run's CA. Nothing touches
/// the user's own store.
/// </summary>
public sealed class NssTrustStore
{
    private NssTrustStore(string home) => Home = home;

    /// <summary>The folder to give Chromium as HOME; the database is in its <c>.pki/nssdb</c>.</summary>
    public string Home { get; }
    public string Database => "sql:" + Path.Combine(Home, ".pki", "nssdb");

    public static async Task<NssTrustStore> CreateAsync(string home, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Path.Combine(home, ".pki", "nssdb"));
        var store = new NssTrustStore(home);
        await ExternalTool.RunAsync("certutil", ["-N", "-d", store.Database, "--empty-password"], ct).ConfigureAwait(false);
        return store;
    }

    /// <summary>Adds a root trusted for TLS servers ("C,," = trusted CA for SSL, nothing else).</summary>
    public Task AddRootAsync(string nickname, string pemPath, CancellationToken ct = default) =>
        ExternalTool.RunAsync("certutil", ["-A", "-d", Database, "-n", nickname, "-t", "C,,", "-i", pemPath], ct);

    public async Task RemoveAsync(string nickname, CancellationToken ct = default)
    {
        if ((await NicknamesAsync(ct).ConfigureAwait(false)).Contains(nickname))
            await ExternalTool.RunAsync("certutil", ["-D", "-d", Database, "-n", nickname], ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> NicknamesAsync(CancellationToken ct = default)
    {
        // certutil -L prints a blank line, a two-line header, a blank line, then "nickname   trust" per certificate.
        var listing = await ExternalTool.RunAsync("certutil", ["-L", "-d", Database], ct).ConfigureAwait(false);
        return listing.Split('\n').Skip(4).Select(l => l.TrimEnd()).Where(l => l.Length > 0)
            .Select(l => l[..Math.Max(0, l.LastIndexOf(' '))].TrimEnd())
            .ToList();
    }
}
