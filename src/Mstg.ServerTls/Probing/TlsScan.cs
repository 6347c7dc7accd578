namespace Mstg.ServerTls.Probing;

/// <summary>Probes many endpoints with bounded concurrency; results come back in the order the endpoints were given.</summary>
public static class TlsScan
{
    public static async Task<IReadOnlyList<EndpointReport>> ProbeAllAsync(IReadOnlyList<Endpoint> endpoints, ProbeOptions options, CancellationToken ct = default)
    {
        using var gate = new SemaphoreSlim(Math.Max(1, options.Endpoints));
        var prober = new EndpointProber(options);
        var tasks = endpoints.Select(async e =>
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try { return await prober.ProbeAsync(e, ct).ConfigureAwait(false); }
            finally { gate.Release(); }
        }).ToList();
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }
}
