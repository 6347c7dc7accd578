using System.Net.Sockets;
using System.Text;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Tests.Infrastructure;

namespace Mstg.Proxy.Tests;

/// <summary>
/// Real requests (curl through the proxy, and a raw absolute-form request with userinfo) carry secrets in every
/// disguise the redactor knows; the HAR and the JSON-lines event log written by the proxy are then searched for each
/// secret and for each value that must survive.
/// </summary>
public sealed class RedactionThroughProxyTests(RedactionThroughProxyTests.Run run) : IClassFixture<RedactionThroughProxyTests.Run>
{
    public sealed class Run : IAsyncLifetime
    {
        public string Har { get; private set; } = "";
        public string Events { get; private set; } = "";

        public async ValueTask InitializeAsync()
        {
            var dir = Directory.CreateTempSubdirectory("mstg-redact-").FullName;
            var env = PipelineEnv.Start(o => o with { HarPath = Path.Combine(dir, "flows.har"), EventsPath = Path.Combine(dir, "events.jsonl") });
            try
            {
                var json = await env.CurlAsync(
                    "-H", "Content-Type: application/json",
                    "-H", "X-Amz-Security-Token: AMZ_SECRET_1",
                    "-H", "X-Session-Id: SESSION_SECRET_1",
                    "-H", "X-Hub-Signature-256: SIG_SECRET_1",
                    "-H", "X-Custom-Secret: CUSTOM_SECRET_1",
                    "-H", "Referer: https://alice:REFERER_PW_1@app.example.com/page?access%5Ftoken=REFERER_TOKEN_1&tab=KEEP_TAB",
                    "-H", "Public-Key-Pins: pin-sha256=\"KEEP_PIN\"; max-age=10",
                    "-H", "Sec-WebSocket-Key: KEEP_WSKEY",
                    "-H", "X-Request-Id: KEEP_REQUEST_ID",
                    "--data-binary", "{\"p\\u0061ssword\":\"JSON_SECRET_1\",\"profile\":{\"refreshToken\":\"NESTED_SECRET_1\",\"list\":[{\"api_key\":\"ARRAY_SECRET_1\"}]},\"author\":\"KEEP_AUTHOR\",\"keyboard\":\"KEEP_KEYBOARD\"}",
                    "https://api.example.com/json?pass%77ord=QUERY_SECRET_1&page=KEEP_PAGE");
                json.ExitCode.Should().Be(0, json.ToString());
                json.Stdout.Should().Contain("JSON_SECRET_1", "the origin got the real body: only evidence is redacted");

                var form = await env.CurlAsync(
                    "-H", "Content-Type: application/x-www-form-urlencoded",
                    "--data-binary", "pass%77ord=FORM_SECRET_1&access%5Ftoken=FORM_SECRET_2&user=KEEP_FORM_USER",
                    "https://api.example.com/form");
                form.ExitCode.Should().Be(0, form.ToString());

                // curl moves URL userinfo into an Authorization header, so this request is written by hand.
                using (var tcp = new TcpClient())
                {
                    await tcp.ConnectAsync(env.Server.Endpoint);
                    var s = tcp.GetStream();
                    await s.WriteAsync(Encoding.ASCII.GetBytes(
                        "GET http://bob:USERINFO_SECRET_1@plain.example.com/userinfo?access%5Ftoken=ABS_SECRET_1&q=KEEP_Q HTTP/1.1\r\n" +
                        "Host: plain.example.com\r\nConnection: close\r\n\r\n"));
                    var response = await new StreamReader(s).ReadToEndAsync();
                    response.Should().Contain("origin saw GET /userinfo");
                }
                await env.Server.Events.WaitForAsync(e => e.Mode == "absolute-form", TimeSpan.FromSeconds(20));
                await env.Server.Events.WaitForAsync(e => e.Type == "connection" && e.Outcome == ConnectionOutcome.Accepted, TimeSpan.FromSeconds(20));
            }
            finally
            {
                await env.DisposeAsync(); // stopping the proxy writes the HAR
                Har = await File.ReadAllTextAsync(Path.Combine(dir, "flows.har"));
                Events = await File.ReadAllTextAsync(Path.Combine(dir, "events.jsonl"));
                Directory.Delete(dir, true);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData("AMZ_SECRET_1")]
    [InlineData("SESSION_SECRET_1")]
    [InlineData("SIG_SECRET_1")]
    [InlineData("CUSTOM_SECRET_1")]
    [InlineData("REFERER_PW_1")]
    [InlineData("REFERER_TOKEN_1")]
    [InlineData("JSON_SECRET_1")]
    [InlineData("NESTED_SECRET_1")]
    [InlineData("ARRAY_SECRET_1")]
    [InlineData("QUERY_SECRET_1")]
    [InlineData("FORM_SECRET_1")]
    [InlineData("FORM_SECRET_2")]
    [InlineData("USERINFO_SECRET_1")]
    [InlineData("ABS_SECRET_1")]
    [InlineData("s3cr3t-origin-cookie")]
    public void Secret_reaches_neither_the_har_nor_the_event_log(string secret)
    {
        run.Har.Should().NotContain(secret);
        run.Events.Should().NotContain(secret);
    }

    [Theory]
    [InlineData("KEEP_TAB")]
    [InlineData("KEEP_PIN")]
    [InlineData("KEEP_WSKEY")]
    [InlineData("KEEP_REQUEST_ID")]
    [InlineData("KEEP_AUTHOR")]
    [InlineData("KEEP_KEYBOARD")]
    [InlineData("KEEP_PAGE")]
    [InlineData("KEEP_FORM_USER")]
    [InlineData("KEEP_Q")]
    public void Evidence_survives_in_the_har(string kept) => run.Har.Should().Contain(kept);

    [Theory]
    [InlineData("https://api.example.com/json?pass%77ord=[redacted]&page=KEEP_PAGE")]
    [InlineData("http://[redacted]@plain.example.com/userinfo?access_token=[redacted]&q=KEEP_Q")] // Uri normalises %5F
    public void Event_log_urls_keep_their_shape(string url)
    {
        var urls = run.Events.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("url", out _)).Select(e => e.GetProperty("url").GetString());
        urls.Should().Contain(url);
    }
}
