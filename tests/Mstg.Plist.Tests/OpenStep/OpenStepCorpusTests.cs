namespace Mstg.Plist.Tests.OpenStep;

public class OpenStepCorpusTests
{
    [Fact]
    public void Every_parsed_corpus_file_written_as_openstep_reads_back_the_same()
    {
        int compared = 0;
        foreach (var path in TestPaths.CorpusPlists)
        {
            PlistNode tree;
            try { tree = PlistReader.ReadFile(path).Root; }
            catch (PlistFormatException) { continue; }

            var text = OpenStepWriter.Write(tree);
            var doc = PlistAssert.ReadText(text, path + ".openstep");
            doc.Format.Should().Be(PlistFormat.OpenStep);
            doc.Root.ContentEquals(OpenStepWriter.Stringify(tree)).Should().BeTrue($"{path} survives the OpenStep round trip");
            compared++;
        }
        compared.Should().Be(40);
    }
}
