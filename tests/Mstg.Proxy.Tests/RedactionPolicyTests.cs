using Mstg.Proxy.Evidence;

namespace Mstg.Proxy.Tests;

/// <summary>
/// The redaction rules one value at a time, in both directions: what must be masked, and what must stay because it
/// is evidence (pins, challenges, ordinary fields whose names merely resemble secret words).
/// </summary>
public sealed class RedactionPolicyTests
{
    private readonly Redactor _redactor = new();

    [Theory]
    // exact list
    [InlineData("Authorization", true)]
    [InlineData("Proxy-Authorization", true)]
    [InlineData("Cookie", true)]
    [InlineData("set-cookie", true)]
    [InlineData("X-Api-Key", true)]
    [InlineData("Authentication-Info", true)]
    // by fragment
    [InlineData("X-Amz-Security-Token", true)]
    [InlineData("x-amz-security-token", true)]
    [InlineData("X-Goog-Api-Key", true)]
    [InlineData("X-Session-Id", true)]
    [InlineData("X-Hub-Signature-256", true)]
    [InlineData("X-Client-Secret", true)]
    [InlineData("X-Refresh-Token", true)]
    [InlineData("X-Account-Password", true)]
    [InlineData("Idempotency-Key", true)]
    // kept: no fragment, or public evidence although a fragment matches
    [InlineData("Accept", false)]
    [InlineData("Keep-Alive", false)]
    [InlineData("X-Request-Id", false)]
    [InlineData("User-Agent", false)]
    [InlineData("Public-Key-Pins", false)]
    [InlineData("Public-Key-Pins-Report-Only", false)]
    [InlineData("Sec-WebSocket-Key", false)]
    [InlineData("WWW-Authenticate", false)]
    [InlineData("Proxy-Authenticate", false)]
    public void Header_names(string name, bool secret)
    {
        _redactor.IsSecretHeader(name).Should().Be(secret);
        var value = "v4lue-0f-the-header";
        _redactor.Header(name, value).Should().Be(secret ? Redactor.Mask : value);
        new Redactor(enabled: false).Header(name, value).Should().Be(value);
    }

    [Theory]
    [InlineData("token", true)]
    [InlineData("access_token", true)]
    [InlineData("accessToken", true)]
    [InlineData("AccessToken", true)]
    [InlineData("refreshtoken", true)]
    [InlineData("AWSAccessKeyId", true)]
    [InlineData("api_key", true)]
    [InlineData("apiKey", true)]
    [InlineData("apikey", true)]
    [InlineData("client_secret", true)]
    [InlineData("sessionId", true)]
    [InlineData("sig", true)]
    [InlineData("X-Amz-Signature", true)]
    [InlineData("X-Amz-Credential", true)]
    [InlineData("user[password]", true)]
    [InlineData("cookies", true)]
    [InlineData("author", false)]
    [InlineData("authority", false)]
    [InlineData("keyboard", false)]
    [InlineData("keywords", false)]
    [InlineData("monkey", false)]
    [InlineData("tokenizer", false)]
    [InlineData("passenger", false)]
    [InlineData("page", false)]
    [InlineData("user", false)]
    public void Field_names_match_by_word(string name, bool secret) => _redactor.IsSecretField(name).Should().Be(secret);

    [Theory]
    [InlineData("https://alice:s3cret@api.example.com/p?q=1", "https://[redacted]@api.example.com/p?q=1")]
    [InlineData("http://TOKENASUSER@api.example.com/", "http://[redacted]@api.example.com/")]
    [InlineData("https://api.example.com/a?pass%77ord=x1&page=2", "https://api.example.com/a?pass%77ord=[redacted]&page=2")]
    [InlineData("https://api.example.com/a?access%5Ftoken=x1", "https://api.example.com/a?access%5Ftoken=[redacted]")]
    [InlineData("https://api.example.com/a?access+token=x1", "https://api.example.com/a?access+token=[redacted]")]
    [InlineData("https://s3.example.com/o?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=ab12&X-Amz-Expires=60",
        "https://s3.example.com/o?X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted]&X-Amz-Expires=60")]
    [InlineData("https://app.example.com/cb#access_token=x1&state=abc", "https://app.example.com/cb#access_token=[redacted]&state=abc")]
    [InlineData("https://api.example.com/path?page=2&sort=name", "https://api.example.com/path?page=2&sort=name")]
    [InlineData("https://api.example.com:8443/a/b", "https://api.example.com:8443/a/b")]
    [InlineData("/relative?token=x1&keep=1", "/relative?token=[redacted]&keep=1")]
    public void Urls(string url, string expected) => _redactor.Url(url).Should().Be(expected);

    [Fact]
    public void Url_headers_such_as_referer_and_location_are_read_as_urls()
    {
        _redactor.Header("Referer", "https://bob:pw@app.example.com/p?access%5Ftoken=x1&page=3")
            .Should().Be("https://[redacted]@app.example.com/p?access%5Ftoken=[redacted]&page=3");
        _redactor.Header("Location", "https://app.example.com/next").Should().Be("https://app.example.com/next");
    }

    [Theory]
    [InlineData("application/json", "{\"p\\u0061ssword\":\"S1\",\"name\":\"bob\"}", "{\"p\\u0061ssword\":\"[redacted]\",\"name\":\"bob\"}")]
    [InlineData("application/json", "{\"user\":{\"refreshToken\":\"S1\",\"list\":[{\"api_key\":\"S2\"}]},\"author\":\"ann\"}",
        "{\"user\":{\"refreshToken\":\"[redacted]\",\"list\":[{\"api_key\":\"[redacted]\"}]},\"author\":\"ann\"}")]
    [InlineData("application/json", "{\"credentials\": {\"user\": \"a\", \"pin\": 1234}, \"keep\": 1}", "{\"credentials\": \"[redacted]\", \"keep\": 1}")]
    [InlineData("application/json", "{\"otp\": 123456, \"amount\": 12}", "{\"otp\": \"[redacted]\", \"amount\": 12}")]
    [InlineData("application/vnd.api+json", "[ {\"session\" : \"S1\"} ,\n {\"page\" : 2} ]", "[ {\"session\" : \"[redacted]\"} ,\n {\"page\" : 2} ]")]
    // no content type, but it is JSON
    [InlineData(null, " {\"token\":\"S1\"}", " {\"token\":\"[redacted]\"}")]
    // cut at the HAR limit: the reader stops, the text rules catch the rest
    [InlineData("application/json", "{\"password\":\"S1\",\"token\":\"S2", "{\"password\":\"[redacted]\",\"token\":\"[redacted]")]
    [InlineData("application/x-www-form-urlencoded", "pass%77ord=S1&access%5Ftoken=S2&user=bob", "pass%77ord=[redacted]&access%5Ftoken=[redacted]&user=bob")]
    [InlineData("application/x-www-form-urlencoded", "user%5Bpassword%5D=S1&remember=on", "user%5Bpassword%5D=[redacted]&remember=on")]
    [InlineData("text/plain", "origin saw POST /x?pass%77ord=S1 and p\\u0061ssword: S2", "origin saw POST /x?pass%77ord=[redacted] and p\\u0061ssword: [redacted]")]
    public void Bodies(string? contentType, string body, string expected) => _redactor.Body(body, contentType).Should().Be(expected);

    [Fact]
    public void Json_without_secrets_keeps_its_exact_bytes()
    {
        const string body = "{ \"author\" : \"ann\",\n  \"keywords\": [\"a\", \"b\"], \"html\": \"<b>\\u00e9</b>\" }";
        _redactor.Body(body, "application/json").Should().Be(body);
    }

    [Theory]
    [InlineData("malformed header 'X-Amz-Security-Token: AMZSECRET1'", "AMZSECRET1")]
    [InlineData("upstream connect to http://alice:PWSECRET1@api.example.com/ failed", "PWSECRET1")]
    [InlineData("bad line 'X-Session-Id: SESSSECRET1'", "SESSSECRET1")]
    public void Free_text_masks_secret_header_lines_and_userinfo(string text, string secret) =>
        _redactor.FreeText(text).Should().NotContain(secret).And.Contain(Redactor.Mask);

    [Fact]
    public void Free_text_keeps_challenges_and_ordinary_messages()
    {
        _redactor.FreeText("origin answered 'WWW-Authenticate: Basic realm=api'").Should().Contain("realm=api");
        _redactor.FreeText("connection ended: IOException: Broken pipe").Should().Be("connection ended: IOException: Broken pipe");
    }

    [Theory(Timeout = 120_000)] // a guard against a hang, not a timing assertion
    [InlineData("a")]
    [InlineData("a+")]
    [InlineData("eyJ")]
    [InlineData("xtoken")]
    [InlineData("h://")]
    public async Task A_megabyte_without_separators_is_handled_in_linear_time(string unit)
    {
        // Shapes that make a backtracking pattern retry from every character of one long run.
        var body = string.Concat(Enumerable.Repeat(unit, 1024 * 1024 / unit.Length));
        var redacted = await Task.Run(() => _redactor.Body(body, "text/plain") + _redactor.FreeText(body));
        redacted.Length.Should().BeGreaterThan(0);
    }

    [Fact]
    public void The_lists_are_configurable()
    {
        var policy = RedactionPolicy.Default with
        {
            SecretHeaders = [.. RedactionPolicy.Default.SecretHeaders, "X-Device-Id"],
            KeptHeaders = [.. RedactionPolicy.Default.KeptHeaders, "Idempotency-Key"],
            SecretFieldWords = [.. RedactionPolicy.Default.SecretFieldWords, "iban"],
        };
        var custom = new Redactor(true, policy);
        custom.Header("X-Device-Id", "d1").Should().Be(Redactor.Mask);
        custom.Header("Idempotency-Key", "k1").Should().Be("k1");
        custom.Body("{\"iban\":\"DE00\"}", "application/json").Should().Be("{\"iban\":\"[redacted]\"}");
        _redactor.Body("{\"iban\":\"DE00\"}", "application/json").Should().Be("{\"iban\":\"DE00\"}");
    }
}
