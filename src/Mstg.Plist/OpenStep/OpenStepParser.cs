namespace Mstg.Plist.OpenStep;

internal static class OpenStepParser
{
    public static PlistNode Parse(ReadOnlyMemory<byte> bytes, string source, PlistReaderOptions options) =>
        throw new PlistFormatException(source, PlistPosition.AtLine(1), "OpenStep plists are not supported yet");
}
