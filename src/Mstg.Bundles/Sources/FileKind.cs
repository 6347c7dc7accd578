using System.Runtime.InteropServices;

namespace Mstg.Bundles.Sources;

/// <summary>
/// What a directory entry is, as lstat(2) sees it (the entry itself, never a symlink's target).
/// <para>Needed because .NET's public API cannot tell a FIFO, a socket or a device from a regular file: on .NET 10 /
/// Linux <see cref="FileSystemInfo.Attributes"/> reports all three as <c>Normal</c> and they enumerate as
/// <see cref="FileInfo"/>. Opening a FIFO blocks until some writer appears, which may be never, and a character
/// device can be read forever, so a folder holding one must not be opened blindly. The runtime's own lstat shim
/// (<c>SystemNative_LStat</c> in libSystem.Native, which <see cref="FileSystemInfo"/> itself uses) fills one
/// structure with the same layout on Linux and macOS, with the mode at offset 4, so that is asked directly.</para>
/// </summary>
internal static class FileKind
{
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;
    private const int ModeOffset = 4;
    // The shim's FileStatus is about 120 bytes; the buffer leaves room for fields later runtimes may append.
    private const int StatusBufferSize = 512;

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
    private static extern int LStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] status);

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] status);

    /// <summary>
    /// Null when <paramref name="fullPath"/> is a regular file; otherwise what it is ("a FIFO", "a socket" …), to be
    /// named in the problem that skips it. Windows has no such entries in a folder tree, so everything counts as regular there.
    /// </summary>
    /// <param name="followLinks">Examine what a symlink points to (for the path the user gave) instead of the link itself.</param>
    public static string? NotRegular(string fullPath, bool followLinks = false)
    {
        if (OperatingSystem.IsWindows()) return null;
        var status = new byte[StatusBufferSize];
        if ((followLinks ? Stat(fullPath, status) : LStat(fullPath, status)) != 0)
            return $"an entry that cannot be examined (lstat failed with error {Marshal.GetLastPInvokeError()})";
        var mode = BitConverter.ToInt32(status, ModeOffset);
        return (mode & TypeMask) switch
        {
            Regular => null,
            0x1000 => "a FIFO (named pipe)",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            0x4000 => "a folder that changed while it was listed",
            0xA000 => "a symlink that changed while it was listed",
            var other => $"a special file (type 0x{other:X4})",
        };
    }
}
