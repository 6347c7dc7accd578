using System.Diagnostics;
using System.Net;
using System.Text.Json;

// usage: LoadClient --url https://host:port/ [--proxy http://127.0.0.1:8080] [--concurrency 8] [--seconds 10]
//                   [--fresh-connections] [--hosts h1,h2,...]  (cold mode: one request per host, sequential)
var opts = new Dictionary<string, string>();
var flags = new HashSet<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--fresh-connections") { flags.Add(args[i]); continue; }
    opts[args[i]] = args[++i];
}
var url = opts["--url"];
var proxy = opts.GetValueOrDefault("--proxy");
var concurrency = int.Parse(opts.GetValueOrDefault("--concurrency", "8"));
var seconds = double.Parse(opts.GetValueOrDefault("--seconds", "10"), System.Globalization.CultureInfo.InvariantCulture);
var fresh = flags.Contains("--fresh-connections");

HttpClient NewClient() => new(new SocketsHttpHandler
{
    Proxy = proxy is null ? null : new WebProxy(proxy),
    UseProxy = proxy is not null,
    // Throughput, not validation, is measured here; trust is tested in tests/Mstg.Proxy.Tests.
    SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    PooledConnectionLifetime = fresh ? TimeSpan.Zero : Timeout.InfiniteTimeSpan,
    MaxConnectionsPerServer = 1,
}) { Timeout = TimeSpan.FromSeconds(30) };

if (opts.TryGetValue("--hosts", out var hostList))
{
    // Cold certificate cache: first request to each never-seen host, one at a time.
    var cold = new List<double>();
    foreach (var host in hostList.Split(','))
    {
        using var c = NewClient();
        var sw = Stopwatch.StartNew();
        (await c.GetAsync(url.Replace("HOST", host))).EnsureSuccessStatusCode();
        cold.Add(sw.Elapsed.TotalMilliseconds);
    }
    Report(cold, cold.Sum() / 1000, 0);
    return;
}

// Warm-up: connections, leaf certificates and JIT.
using (var warm = NewClient()) for (var i = 0; i < 50; i++) (await warm.GetAsync(url)).EnsureSuccessStatusCode();

var latencies = new List<double>[concurrency];
var errors = 0;
var stopAt = Stopwatch.StartNew();
var workers = Enumerable.Range(0, concurrency).Select(async w =>
{
    latencies[w] = new List<double>(100_000);
    using var client = NewClient();
    while (stopAt.Elapsed.TotalSeconds < seconds)
    {
        var sw = Stopwatch.StartNew();
        try
        {
            using var r = await client.GetAsync(url);
            await r.Content.ReadAsByteArrayAsync();
            if (!r.IsSuccessStatusCode) Interlocked.Increment(ref errors);
            latencies[w].Add(sw.Elapsed.TotalMilliseconds);
        }
        catch (HttpRequestException) { Interlocked.Increment(ref errors); }
    }
}).ToArray();
await Task.WhenAll(workers);
Report(latencies.SelectMany(l => l).ToList(), stopAt.Elapsed.TotalSeconds, errors);

static void Report(List<double> all, double elapsed, int errors)
{
    all.Sort();
    double P(double q) => all.Count == 0 ? double.NaN : all[Math.Min(all.Count - 1, (int)(q * all.Count))];
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        requests = all.Count, errors, seconds = Math.Round(elapsed, 2), rps = Math.Round(all.Count / elapsed, 1),
        p50_ms = Math.Round(P(0.50), 3), p99_ms = Math.Round(P(0.99), 3), max_ms = Math.Round(all.LastOrDefault(), 3),
    }));
}
