using System.Collections;
using System.Net;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Hosting;
using Mstg.Proxy.Http;
using Mstg.Proxy.Pipeline;

namespace Mstg.Proxy.Tests;

/// <summary>
/// An out-of-process proxy gets every <see cref="ProxyOptions"/> property: the options document round-trips each
/// one (found by reflection, so a property added later fails here until it travels), and a real child started with
/// all of them non-default reports the same options back.
/// </summary>
public sealed class ProxyOptionsHandOffTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mstg-handoff-").FullName;
    private readonly TestOrigin _origin = new("api.example.com");

    public void Dispose()
    {
        _origin.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_dir, true);
    }

    private static readonly PropertyInfo[] Properties = typeof(ProxyOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    /// <summary>Every property set to something other than its default; a new property must be added here.</summary>
    private ProxyOptions EveryPropertyChanged()
    {
        using var ca = RunCertificateAuthority.Create("MstgTests saved CA for the hand-off test");
        var certPath = Path.Combine(_dir, "ca.pem");
        var keyPath = Path.Combine(_dir, "ca.key");
        File.WriteAllText(certPath, ca.ExportCertificatePem());
        ca.ExportPrivateKeyPem(keyPath);
        return new ProxyOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            AllowNonLoopback = true,
            Transparent = true,
            Condition = CertificateCondition.UntrustedCa,
            Scope = ["*.example.com", "api.example.org"],
            HostMap = new Dictionary<string, string> { ["api.example.com"] = $"127.0.0.1:{_origin.Port}", ["b.example.com:8443"] = "127.0.0.1:1" },
            HostMapOnly = true,
            UpstreamTrustedRoots = [_origin.CaCertificate],
            ProxyCredentials = new NetworkCredential("tester", "s3cret:with:colons"),
            Limits = new HttpLimits { MaxHeadBytes = 4096, MaxBodyBytes = 12345, HeadTimeout = TimeSpan.FromSeconds(3), BodyTimeout = TimeSpan.FromSeconds(4) },
            HandshakeTimeout = TimeSpan.FromSeconds(7),
            MaxConnections = 17,
            UpstreamConnectTimeout = TimeSpan.FromSeconds(5),
            LeafCacheCapacity = 9,
            UpstreamIdleTimeout = TimeSpan.FromSeconds(11),
            Redact = false,
            Redaction = new RedactionPolicy { SecretHeaders = ["X-Lab-Secret"], SecretHeaderFragments = ["lab"], KeptHeaders = [], SecretFieldWords = ["labword"] },
            EventsPath = Path.Combine(_dir, "events.jsonl"),
            HarPath = Path.Combine(_dir, "flows.har"),
            WellKnownHost = "ca.lab.test",
            CaCertificatePath = certPath,
            CaKeyPath = keyPath,
            CaCommonName = "MstgTests hand-off CA",
        };
    }

    /// <summary>A comparable text for a property value (collections and certificates by content).</summary>
    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => s,
        IPEndPoint e => e.ToString(),
        NetworkCredential c => $"{c.UserName}:{c.Password}:{c.Domain}",
        X509Certificate2Collection roots => string.Join(",", roots.Select(r => r.Thumbprint)),
        IReadOnlyDictionary<string, string> map => string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")),
        IEnumerable<string> list => "[" + string.Join(",", list) + "]",
        IEnumerable => throw new InvalidOperationException($"add a description for {value.GetType()}"),
        _ => JsonSerializer.Serialize(value),
    };

    [Fact]
    public void The_sample_changes_every_property_so_a_new_one_cannot_slip_through()
    {
        var defaults = new ProxyOptions();
        var sample = EveryPropertyChanged();
        foreach (var p in Properties)
            Describe(p.GetValue(sample)).Should().NotBe(Describe(p.GetValue(defaults)),
                $"ProxyOptions.{p.Name} must be set to a non-default value in EveryPropertyChanged, so the hand-off test covers it");
    }

    [Fact]
    public void Every_property_survives_the_options_document()
    {
        var sample = EveryPropertyChanged();
        var path = Path.Combine(_dir, "options.json");
        ProxyOptionsJson.Write(sample, path);
        var back = ProxyOptionsJson.Deserialize(File.ReadAllText(path));
        foreach (var p in Properties)
            Describe(p.GetValue(back)).Should().Be(Describe(p.GetValue(sample)), $"ProxyOptions.{p.Name} must travel to the child");
        ProxyOptionsJson.Digest(back).Should().Be(ProxyOptionsJson.Digest(sample));
        back.HostMap.ContainsKey("API.EXAMPLE.COM").Should().BeTrue("host names compare case-insensitively in the child too");
    }

    /// <summary>
    /// The child proves it read the same options by the digest in its ready line; that check can only catch a lost
    /// property if every property changes the digest. Each one is copied alone onto the defaults (init setters by
    /// reflection) and must move it.
    /// </summary>
    [Fact]
    public void Every_property_changes_the_digest_the_child_reports()
    {
        var defaults = new ProxyOptions();
        var sample = EveryPropertyChanged();
        var baseline = ProxyOptionsJson.Digest(defaults);
        foreach (var p in Properties)
        {
            var one = defaults with { };
            p.SetValue(one, p.GetValue(sample));
            ProxyOptionsJson.Digest(one).Should().NotBe(baseline, $"a child that lost ProxyOptions.{p.Name} must be caught by the digest");
        }
    }

    [Fact]
    public void The_options_document_is_readable_by_its_owner_only_and_never_overwrites()
    {
        var path = Path.Combine(_dir, "options.json");
        ProxyOptionsJson.Write(new ProxyOptions(), path);
        if (!OperatingSystem.IsWindows())
            File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var again = () => ProxyOptionsJson.Write(new ProxyOptions(), path);
        again.Should().Throw<IOException>();
    }

    [Theory]
    [InlineData("{", "$")]
    [InlineData("""{"listen":"not an endpoint"}""", "$")]
    [InlineData("""{"condition":"no-such-condition"}""", "$.condition")]
    [InlineData("null", "$")]
    public void A_bad_options_document_is_a_typed_error_naming_the_file(string json, string place)
    {
        var act = () => ProxyOptionsJson.Deserialize(json, "/tmp/x/options.json");
        act.Should().Throw<MstgInputException>().Where(e => e.Source == "/tmp/x/options.json" && e.Place == place);
    }

    /// <summary>
    /// The whole trip: a real child started with every property changed starts only if it read back the same
    /// document (the ready line's digest); the saved CA, the event log and the HAR paths show some of them at work.
    /// </summary>
    [Fact]
    public async Task A_child_started_with_every_property_changed_reads_them_all()
    {
        var options = EveryPropertyChanged();
        var savedCa = X509Certificate2.CreateFromPem(File.ReadAllText(options.CaCertificatePath!));
        string privateDir;
        await using (var proxy = await ProxyHost.StartAsync(options, legacyTls: true, TestContext.Current.CancellationToken))
        {
            proxy.IsOutOfProcess.Should().BeTrue();
            proxy.CaCertificate.Thumbprint.Should().Be(savedCa.Thumbprint, "CaCertificatePath/CaKeyPath reached the child");
            proxy.Condition.Should().Be(CertificateCondition.UntrustedCa);
            privateDir = proxy.PrivateDirectory!;
            Directory.Exists(privateDir).Should().BeTrue();
            if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(privateDir).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.Exists(Path.Combine(proxy.PrivateDirectory!, "options.json")).Should().BeFalse("the child deletes the document (it holds the proxy password) once read");
        }
        Directory.Exists(privateDir).Should().BeFalse("the host deletes its private folder (OpenSSL configuration, HAR snapshots) on dispose");
        File.Exists(options.EventsPath).Should().BeTrue("the child writes EventsPath");
        File.Exists(options.HarPath).Should().BeTrue("the child writes HarPath on stop");
    }

    [Fact]
    public async Task Options_the_old_argument_list_dropped_now_work_out_of_process()
    {
        var options = new ProxyOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0), WellKnownHost = "ca.lab.test", CaCommonName = "MstgTests named CA",
            Limits = new HttpLimits { MaxHeadBytes = 2048 },
        };
        await using var proxy = await ProxyHost.StartAsync(options, legacyTls: true, TestContext.Current.CancellationToken);
        proxy.CaCertificate.Subject.Should().Contain("MstgTests named CA");
        var proxyUrl = $"http://127.0.0.1:{proxy.Endpoint.Port}";
        var ca = await ExternalTool.RunAsync("curl", ["-sS", "--max-time", "20", "--proxy", proxyUrl, "http://ca.lab.test/ca.pem"]);
        ca.Stdout.Should().Contain("BEGIN CERTIFICATE", ca.ToString());
        var big = await ExternalTool.RunAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", "--proxy", proxyUrl,
            "-H", "X-Big: " + new string('a', 4096), "http://ca.lab.test/ca.pem"]);
        big.Stdout.Should().NotBe("200", "a 4 KiB header exceeds the 2 KiB MaxHeadBytes the child was given: " + big);
    }

    [Fact]
    public async Task A_child_that_refuses_its_options_is_a_typed_error_and_leaves_no_folder()
    {
        var before = Directory.GetDirectories(Path.GetTempPath(), "mstg-proxy-*").ToHashSet();
        var act = () => ProxyHost.StartAsync(new ProxyOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), LeafCacheCapacity = 0 }, legacyTls: true);
        (await act.Should().ThrowAsync<MstgInputException>()).Which.Place.Should().Be("LeafCacheCapacity");
        Directory.GetDirectories(Path.GetTempPath(), "mstg-proxy-*").Where(d => !before.Contains(d))
            .Should().BeEmpty("a failed start deletes its private folder");
    }

    [Fact]
    public void The_stderr_tail_keeps_the_last_characters_only()
    {
        var tail = new TextTail(capacity: 1000);
        for (var i = 0; i < 10_000; i++) tail.AppendLine($"line {i:D5}");
        var text = tail.ToString();
        text.Should().EndWith("line 09999\n").And.Contain("earlier characters dropped").And.NotContain("line 00000");
        text.Length.Should().BeLessThan(1100);
    }
}
