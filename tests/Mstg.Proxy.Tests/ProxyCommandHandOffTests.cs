using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Cli;
using Mstg.Tls;

namespace Mstg.Proxy.Tests;

/// <summary>
/// <c>mstg proxy --legacy-tls</c> hands its relaxed-OpenSSL child the whole <see cref="ProxyCommandOptions"/> as one
/// private options file (<see cref="ProxyCommandChild"/>): every property travels (found by reflection, so a property
/// added later fails here until it is set in the sample), the file is the owner's only and gone once read, and a real
/// child started that way serves with the options it was given, with the password on no command line.
/// </summary>
public sealed class ProxyCommandHandOffTests : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mstg-cmd-handoff-").FullName;
    private readonly TestOrigin _origin = new("api.example.com");

    public async ValueTask DisposeAsync()
    {
        await _origin.DisposeAsync();
        Directory.Delete(_dir, true);
    }

    private static readonly PropertyInfo[] Properties = typeof(ProxyCommandOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    /// <summary>Every property set to something other than its default; a new property must be added here.</summary>
    private static ProxyCommandOptions EveryPropertyChanged() => new()
    {
        Listen = "127.0.0.1:0", Condition = "tls10-only", Scope = ["*.example.com", "api.example.net,b.example.org"],
        HostMap = ["api.example.com=127.0.0.1:8443", "b.example.com=127.0.0.1:1"], UpstreamCa = "/tmp/roots.pem",
        Events = "/tmp/e.jsonl", Har = "/tmp/f.har", Auth = "tester:s3cret:with:colons", CaCert = "/tmp/ca.pem", CaKey = "/tmp/ca.key",
        WriteCaKey = "/tmp/out.key", Control = "stdio", AllowRemote = true, NoRedact = true, LegacyTls = true, Transparent = true, Quiet = true,
    };

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => s,
        IEnumerable<string> list => "[" + string.Join("|", list) + "]",
        _ => JsonSerializer.Serialize(value),
    };

    [Fact]
    public void The_sample_changes_every_property_so_a_new_one_cannot_slip_through()
    {
        var defaults = new ProxyCommandOptions();
        var sample = EveryPropertyChanged();
        foreach (var p in Properties)
            Describe(p.GetValue(sample)).Should().NotBe(Describe(p.GetValue(defaults)),
                $"ProxyCommandOptions.{p.Name} must be set to a non-default value in EveryPropertyChanged, so the hand-off test covers it");
    }

    [Fact]
    public async Task Every_property_survives_the_options_file_which_is_private_and_deleted_once_read()
    {
        var sample = EveryPropertyChanged();
        var path = ProxyCommandChild.Write(sample, _dir);
        if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var again = () => ProxyCommandChild.Write(sample, _dir);
        again.Should().Throw<IOException>("the file is never written over an existing one");

        var back = await ProxyCommandChild.ReadAsync(path, TestContext.Current.CancellationToken);
        foreach (var p in Properties)
            Describe(p.GetValue(back)).Should().Be(Describe(p.GetValue(sample)), $"ProxyCommandOptions.{p.Name} must travel to the legacy-TLS child");
        File.Exists(path).Should().BeFalse("the child deletes the file (it may hold the proxy password) once read");
    }

    [Theory]
    [InlineData("{", "$")]
    [InlineData("null", "$")]
    [InlineData("""{"listen":17}""", "$.listen")]
    [InlineData("""{"noSuchOption":true}""", "$")]
    public void A_bad_options_file_is_a_typed_error_naming_the_file(string json, string place)
    {
        var act = () => ProxyCommandChild.Deserialize(json, "/tmp/x/proxy-command.json");
        act.Should().Throw<MstgInputException>().Where(e => e.Source == "/tmp/x/proxy-command.json" && e.Place.StartsWith(place, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_options_file_exits_2_naming_it()
    {
        var stderr = new StringWriter();
        var missing = Path.Combine(_dir, "gone.json");
        (await ProxyCommandChild.RunAsync(missing, new StringWriter(), stderr, TestContext.Current.CancellationToken)).Should().Be(ExitCodes.Usage);
        stderr.ToString().Should().Contain(missing);
    }

    /// <summary>
    /// <c>Mstg.Proxy</c> has no command line of its own any more: its old verbs (and anything but the two child entries)
    /// exit 2 pointing at <c>mstg</c>, without starting a proxy or writing a CA.
    /// </summary>
    [Theory]
    [InlineData("proxy --listen 127.0.0.1:0 --condition tls10-only")]
    [InlineData("ca export --format pem")]
    [InlineData("")]
    public async Task The_child_entry_refuses_a_command_line_and_points_to_mstg(string words)
    {
        var assembly = typeof(ProxyCommandChild).Assembly.Location;
        var run = await ExternalTool.RunAsync("dotnet",
            ["exec", "--runtimeconfig", Path.ChangeExtension(assembly, ".runtimeconfig.json"), "--depsfile", Path.ChangeExtension(assembly, ".deps.json"),
             assembly, .. words.Split(' ', StringSplitOptions.RemoveEmptyEntries)], timeoutSeconds: 60);
        run.ExitCode.Should().Be(ExitCodes.Usage, run.ToString());
        run.Stderr.Should().Contain("internal child entry").And.Contain("mstg proxy").And.Contain("mstg ca export");
        run.Stdout.Should().BeEmpty("no proxy started and no CA was printed");
    }

    /// <summary>
    /// The whole trip through a real relaxed child: the saved CA (CaCert/CaKey), the password (Auth), the origin map,
    /// upstream roots, scope, WriteCaKey, the event log and the HAR all show at work in the child, and while it runs no
    /// process has the password on its command line.
    /// </summary>
    [Fact]
    public async Task A_legacy_tls_child_serves_with_the_options_it_was_handed()
    {
        LegacyOpenSsl.IsActive.Should().BeFalse("this test process stays unrelaxed, so the proxy must run as a child");
        var certPath = Path.Combine(_dir, "ca.pem");
        var keyPath = Path.Combine(_dir, "ca.key");
        using (var ca = RunCertificateAuthority.Create("MstgTests hand-off CA", ["*.example.com"]))
        {
            File.WriteAllText(certPath, ca.ExportCertificatePem());
            ca.ExportPrivateKeyPem(keyPath);
        }
        const string password = "s3cret-handoff-pass";
        var options = new ProxyCommandOptions
        {
            Listen = "127.0.0.1:0", Condition = "trusted-ca", LegacyTls = true, Scope = ["*.example.com"],
            HostMap = [$"api.example.com=127.0.0.1:{_origin.Port}"], UpstreamCa = _origin.WriteCaPem(_dir),
            Events = Path.Combine(_dir, "events.jsonl"), Har = Path.Combine(_dir, "flows.har"), Auth = $"tester:{password}",
            CaCert = certPath, CaKey = keyPath, WriteCaKey = Path.Combine(_dir, "written.key"),
        };
        using var cts = new CancellationTokenSource();
        var stdout = new LockedWriter();
        var stderr = new LockedWriter();
        var run = ProxyCommand.RunAsync(options, stdout, stderr, cts.Token);
        string? endpoint = null;
        for (var i = 0; i < 300 && endpoint is null && !run.IsCompleted; i++)
        {
            endpoint = Regex.Match(stdout.ToString(), @"listening on (127\.0\.0\.1:\d+), condition trusted-ca") is { Success: true } m ? m.Groups[1].Value : null;
            if (endpoint is null) await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        endpoint.Should().NotBeNull($"the child proxy must start: {stdout}\n{stderr}");

        foreach (var cmdline in Directory.GetDirectories("/proc").Select(d => Path.Combine(d, "cmdline")))
        {
            string text;
            try { text = File.ReadAllText(cmdline); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            text.Should().NotContain(password, "the proxy password must be on no command line (ps shows it to every local user)");
        }

        var refused = await ExternalTool.RunAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--proxy", $"http://{endpoint}", "http://mstg.proxy/ca.pem"]);
        refused.Stdout.Should().Be("407", "Auth reached the child: " + refused);
        var curl = await ExternalTool.RunAsync("curl", ["-sS", "--max-time", "20", "--cacert", certPath, "--proxy-user", $"tester:{password}",
            "--proxy", $"http://{endpoint}", "https://api.example.com/handoff"]);
        curl.Stdout.Should().Contain("origin saw GET /handoff", "the saved CA signed the leaf, the host map and upstream roots reached the origin: " + curl);

        cts.Cancel();
        (await run).Should().Be(0, stderr.ToString());
        File.Exists(options.WriteCaKey).Should().BeTrue("the child writes WriteCaKey");
        File.Exists(options.Events).Should().BeTrue("the child writes Events");
        File.ReadAllText(options.Har!).Should().Contain("https://api.example.com/handoff", "the child writes the HAR on stop");
    }

    private sealed class LockedWriter : StringWriter
    {
        public override void Write(char value) { lock (this) base.Write(value); }
        public override void Write(string? value) { lock (this) base.Write(value); }
        public override void WriteLine(string? value) { lock (this) base.WriteLine(value); }
        public override Task WriteLineAsync(string? value) { WriteLine(value); return Task.CompletedTask; }
        public override string ToString() { lock (this) return base.ToString(); }
    }
}
