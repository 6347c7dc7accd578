using System.Text;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Http;

namespace Mstg.Proxy.Tests;

public sealed class HttpAndRedactionTests
{
    private static HttpMessageReader Reader(string text, HttpLimits? limits = null) =>
        new(new MemoryStream(Encoding.Latin1.GetBytes(text)), "test peer", limits ?? new HttpLimits());

    [Fact]
    public async Task Chunked_body_is_decoded_and_keep_alive_requests_follow()
    {
        var r = Reader("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n" +
                       "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
        var head = await r.ReadRequestHeadAsync(CancellationToken.None);
        Encoding.ASCII.GetString(await r.ReadRequestBodyAsync(head!, CancellationToken.None)).Should().Be("hello world");
        (await r.ReadRequestHeadAsync(CancellationToken.None))!.Target.Should().Be("/b");
        (await r.ReadRequestHeadAsync(CancellationToken.None)).Should().BeNull("clean end of the connection");
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", "Content-Length")]
    [InlineData("GET / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", "exceeds")]
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunk size")]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc", "closed after 3 of 10")]
    [InlineData("GET / HTTP/1.1\r\n bad folded: header\r\n\r\n", "malformed")]
    [InlineData("get / HTTP/1.1\r\n\r\n", "request line")]
    public async Task Bad_messages_give_typed_errors_naming_the_place(string text, string expected)
    {
        var r = Reader(text);
        var act = async () =>
        {
            var head = await r.ReadRequestHeadAsync(CancellationToken.None);
            await r.ReadRequestBodyAsync(head!, CancellationToken.None);
        };
        var e = (await act.Should().ThrowAsync<ProxyProtocolException>()).Which;
        e.Should().BeAssignableTo<MstgInputException>();
        e.Source.Should().Be("test peer");
        e.Message.Should().Contain(expected);
    }

    [Fact]
    public async Task Response_without_length_is_read_to_close_and_head_has_none()
    {
        var r = Reader("HTTP/1.0 200 ok\r\nContent-Type: text/html\r\n\r\n<html>until close</html>");
        var head = await r.ReadResponseHeadAsync(CancellationToken.None);
        Encoding.ASCII.GetString(await r.ReadResponseBodyAsync(head, "GET", CancellationToken.None)).Should().Be("<html>until close</html>");
        var r2 = Reader("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
        var head2 = await r2.ReadResponseHeadAsync(CancellationToken.None);
        (await r2.ReadResponseBodyAsync(head2, "HEAD", CancellationToken.None)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("Authorization", "Bearer abc.def.ghi", true)]
    [InlineData("Cookie", "a=b", true)]
    [InlineData("Set-Cookie", "sid=1; HttpOnly", true)]
    [InlineData("Accept", "text/html", false)]
    [InlineData("X-Request-Id", "12345", false)]
    public void Secret_headers_are_masked_and_others_kept(string name, string value, bool masked)
    {
        var redacted = new Redactor().Header(name, value);
        if (masked) redacted.Should().Be(Redactor.Mask); else redacted.Should().Be(value);
        new Redactor(enabled: false).Header(name, value).Should().Be(value);
    }

    [Theory]
    [InlineData("https://x/cb?code=1&access_token=SECRET123&page=2", "SECRET123")]
    [InlineData("{\"user\":\"bob\",\"password\":\"SECRET123\"}", "SECRET123")]
    [InlineData("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl here", "eyJhbGciOiJIUzI1NiJ9")]
    [InlineData("Bearer SECRET123SECRET", "SECRET123SECRET")]
    public void Token_like_values_in_text_are_masked(string text, string secret)
    {
        var redacted = new Redactor().Text(text);
        redacted.Should().NotContain(secret).And.Contain(Redactor.Mask);
    }

    [Fact]
    public void Ordinary_text_is_left_alone() =>
        new Redactor().Text("page=2&sort=name {\"user\":\"bob\"}").Should().Be("page=2&sort=name {\"user\":\"bob\"}");

    [Fact]
    public async Task In_process_host_refuses_legacy_conditions_with_a_clear_reason()
    {
        await using var host = await ProxyHost.StartAsync(new() { Listen = new(System.Net.IPAddress.Loopback, 0) });
        host.IsOutOfProcess.Should().BeFalse();
        var act = () => host.SetConditionAsync(CertificateCondition.Tls10Only);
        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*OPENSSL_CONF*");
        await host.SetConditionAsync(CertificateCondition.Expired);
        host.Condition.Should().Be(CertificateCondition.Expired);
    }
}
