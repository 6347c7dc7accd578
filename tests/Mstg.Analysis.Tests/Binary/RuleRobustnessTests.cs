using System.Text;
using Mstg.Analysis.Binary.Urls;
using Mstg.Analysis.Binary;
using Mstg.Analysis.Rules;
using Mstg.Analysis.Tests.Binary.Support;

namespace Mstg.Analysis.Tests.Binary;

public class RuleRobustnessTests
{
    [Fact]
    public void Resource_files_are_read_only_up_to_the_cap()
    {
        var big = new byte[TextResourceReader.MaxBytes + 4096];
        Array.Fill(big, (byte)' ');
        Encoding.ASCII.GetBytes("http://early.example.com/").CopyTo(big, 100);
        Encoding.ASCII.GetBytes("http://late.example.com/").CopyTo(big, TextResourceReader.MaxBytes + 100);
        var context = ModelBuilder.Context(ModelBuilder.Image(), new Dictionary<string, byte[]> { ["Payload/App.app/big.json"] = big });

        var findings = new CleartextUrlRule().Evaluate(context).ToList();
        findings.Should().ContainSingle(f => f.Verdict == Verdict.Warn).Which.Domain.Should().Be("early.example.com");

        var clean = new byte[TextResourceReader.MaxBytes + 10];
        var pass = new CleartextUrlRule().Evaluate(ModelBuilder.Context(ModelBuilder.Image(),
            new Dictionary<string, byte[]> { ["Payload/App.app/huge.txt"] = clean })).Single();
        pass.Verdict.Should().Be(Verdict.Pass);
        pass.Evidence.Should().Contain("huge.txt");
    }

    [Fact]
    public void Random_strings_never_break_url_extraction_or_the_rule()
    {
        var random = new Random(20261121);
        const string alphabet = "htps:/.%@[]:-_?#=&\"'<> \t\n\0abcxyz0123456789HTTP";
        var strings = new List<string>();
        for (var i = 0; i < 3000; i++)
        {
            var chars = new char[random.Next(0, 60)];
            for (var j = 0; j < chars.Length; j++) chars[j] = random.Next(10) == 0 ? (char)random.Next(0, 0x3000) : alphabet[random.Next(alphabet.Length)];
            var s = new string(chars);
            if (random.Next(4) == 0) s = s.Insert(random.Next(s.Length + 1), random.Next(2) == 0 ? "http://" : "https://");
            strings.Add(s);
        }
        foreach (var s in strings)
            foreach (var url in UrlExtractor.Extract(s))
            {
                url.Url.Should().StartWith(url.Scheme + "://");
                url.Url.Length.Should().BeGreaterThan(url.Scheme.Length + 3);
                _ = url.LocalReason;
            }
        var findings = new CleartextUrlRule().Evaluate(ModelBuilder.Context(ModelBuilder.Image(strings: strings))).ToList();
        findings.Should().OnlyContain(f => f.RuleId == RuleCatalog.BinCleartextUrl || f.RuleId == RuleCatalog.BinLocalUrl);
        findings.Where(f => f.Verdict == Verdict.Warn).Select(f => f.Evidence!.Split('\n')[0]).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Handler_that_delegates_to_trustkit_is_a_warning_not_a_failure()
    {
        var image = ModelBuilder.Image(strings: ["URLSession:didReceiveChallenge:completionHandler:", "handleChallenge:completionHandler:"]);
        new TrustBypassRule().Evaluate(ModelBuilder.Context(image)).Single().Verdict.Should().Be(Verdict.Warn);
    }

    [Fact]
    public void Bundle_without_executable_gets_no_binary_findings()
    {
        var context = ModelBuilder.Context(null);
        IBundleRule[] rules = [new TrustBypassRule(), new WeakTlsMinimumRule(), new LowLevelNetworkingRule(), new EncryptedBinaryRule(), new EmbeddedTlsLibraryRule()];
        rules.SelectMany(r => r.Evaluate(context)).Should().BeEmpty();
    }
}
