using Mstg.Proxy.Evidence;

namespace Mstg.Proxy.Tests;

/// <summary>Secrets in an event's URL or error detail never reach the kept log, the JSON-lines file or observers.</summary>
public class EventLogRedactionTests
{
    private static ProxyEvent Event(string url, string detail) => new()
    {
        Id = 1, Time = DateTimeOffset.UnixEpoch, Type = "connection", Url = url, Detail = detail,
    };

    [Fact]
    public void Url_tokens_and_quoted_secret_headers_are_masked_by_default()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "events.jsonl");
        using (var log = new ProxyEventLog(path))
            log.Append(Event("http://api.example.com/login?token=s3cr3t-value&user=a", "malformed header line 'Cookie: sid=abcdef123456'"));

        var written = File.ReadAllText(path);
        written.Should().NotContain("s3cr3t-value").And.NotContain("abcdef123456");
        written.Should().Contain("user=a").And.Contain(Redactor.Mask);
    }

    [Fact]
    public void Opting_out_keeps_the_values()
    {
        using var log = new ProxyEventLog(redactor: new Redactor(enabled: false));
        log.Append(Event("http://api.example.com/?token=s3cr3t-value", "Cookie: sid=abcdef123456"));
        var kept = log.Snapshot().Single();
        kept.Url.Should().Contain("s3cr3t-value");
        kept.Detail.Should().Contain("abcdef123456");
    }
}
