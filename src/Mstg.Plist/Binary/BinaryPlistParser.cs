namespace Mstg.Plist.Binary;

internal static class BinaryPlistParser
{
    public static PlistNode Parse(ReadOnlyMemory<byte> bytes, string source, PlistReaderOptions options) =>
        throw new PlistFormatException(source, PlistPosition.AtByte(0), "binary plists are not supported yet");
}
