namespace Mstg.Plist.Tests.Xml;

public class XmlCorpusTests
{
    // The three corpus files plistlib cannot read (research/corpus.md): one must parse, two are templates.
    private const string Coverdrop = "guardian__coverdrop__ios__reference__reference__Info.plist";
    private const string Lime = "openfl__lime__templates__ios__template__{{app.file}}__{{app.file}}-Info.plist";
    private const string Godot = "godotengine__godot__misc__dist__ios_xcode__godot_ios__godot_ios-Info.plist";

    public static TheoryData<string> WellFormedCorpus()
    {
        var data = new TheoryData<string>();
        foreach (var path in TestPaths.CorpusPlists)
            if (!path.EndsWith(Lime, StringComparison.Ordinal) && !path.EndsWith(Godot, StringComparison.Ordinal))
                data.Add(Path.GetRelativePath(TestPaths.RepoRoot, path));
        return data;
    }

    [Theory]
    [MemberData(nameof(WellFormedCorpus))]
    public void Every_well_formed_corpus_file_parses_to_a_dict(string relativePath)
    {
        var doc = PlistReader.ReadFile(Path.Combine(TestPaths.RepoRoot, relativePath));

        doc.Format.Should().Be(PlistFormat.Xml);
        var root = doc.Root.Should().BeOfType<PlistDict>().Subject;
        root.Count.Should().BeGreaterThan(0);
        root.Position.Line.Should().BeGreaterThan(1, "the root dict follows the XML declaration and DOCTYPE");
    }

    [Fact]
    public void Corpus_holds_the_expected_number_of_plists()
    {
        // 36 Info.plists plus 6 MASTG demo plists; a lost corpus file must not silently shrink the theory above.
        TestPaths.CorpusPlists.Should().HaveCount(42);
    }

    [Fact]
    public void Coverdrop_with_whitespace_before_the_xml_declaration_parses_with_true_line_numbers()
    {
        var path = TestPaths.Corpus(Coverdrop);
        var doc = PlistReader.ReadFile(path);
        var root = (PlistDict)doc.Root;

        // Line numbers must match the file as written, leading whitespace included.
        var lines = File.ReadAllLines(path);
        var entry = root.GetEntry("NSAppTransportSecurity")!;
        entry.Should().NotBeNull();
        lines[entry.KeyPosition.Line - 1].Should().Contain("<key>NSAppTransportSecurity</key>");
        lines[entry.Value.Position.Line - 1].Should().Contain("<dict>");
        root.Position.Line.Should().Be(Array.FindIndex(lines, l => l.Trim() == "<dict>") + 1);
    }

    [Fact]
    public void Lime_template_gives_a_typed_error_naming_the_first_template_directive()
    {
        var path = TestPaths.Corpus(Lime);
        var act = () => PlistReader.ReadFile(path);

        var error = act.Should().Throw<PlistFormatException>().Which;
        error.Source.Should().Be(path);
        error.Position.Line.Should().Be(7);
        error.Message.Should().Contain(path).And.Contain("line 7, column 2").And.Contain("::if (languages != null)::");
    }

    [Fact]
    public void Godot_template_gives_a_typed_error_naming_the_bare_placeholder()
    {
        var path = TestPaths.Corpus(Godot);
        var act = () => PlistReader.ReadFile(path);

        var error = act.Should().Throw<PlistFormatException>().Which;
        // The first of its bare placeholders is $docs_in_place where a boolean element belongs.
        error.Position.Line.Should().Be(34);
        error.Message.Should().Contain(path).And.Contain("line 34, column 2")
            .And.Contain("$docs_in_place").And.Contain("outside an element inside <dict>");
    }

    [Fact]
    public void Godot_template_with_booleans_filled_in_still_fails_on_the_additional_content_placeholder()
    {
        var path = TestPaths.Corpus(Godot);
        // Every other bare placeholder line becomes <true/> (valid in both dicts and arrays); line numbers stay put.
        var text = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(path),
            @"^(\s*)\$(?!additional_plist_content)\w+[ \t]*$", "$1<true/>", System.Text.RegularExpressions.RegexOptions.Multiline);
        var act = () => PlistReader.Read(System.Text.Encoding.UTF8.GetBytes(text), "godot-filled.plist");

        act.Should().Throw<PlistFormatException>()
            .Which.Message.Should().Contain("godot-filled.plist: line 59, column 2")
            .And.Contain("$additional_plist_content");
    }

    [Fact]
    public void Owncloud_duplicate_ats_key_is_kept_and_last_one_wins()
    {
        var doc = PlistReader.ReadFile(TestPaths.Corpus("owncloud__ios-app__ownCloud__Resources__Info.plist"));
        var root = (PlistDict)doc.Root;

        root.Entries.Count(e => e.Key == "NSAppTransportSecurity").Should().Be(2);
        root.DuplicateKeys.Select(e => e.Key).Should().Contain("NSAppTransportSecurity");
        root["NSAppTransportSecurity"].Should().BeSameAs(root.DuplicateKeys.Last(e => e.Key == "NSAppTransportSecurity").Value);
    }
}
