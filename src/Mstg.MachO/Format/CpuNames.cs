namespace Mstg.MachO.Format;

/// <summary>Architecture names as Apple's tools print them, from <c>mach/machine.h</c> cpu types and subtypes.</summary>
internal static class CpuNames
{
    private const uint Abi64 = 0x01000000;
    private const uint Abi64_32 = 0x02000000;
    private const uint X86 = 7;
    private const uint Arm = 12;
    private const uint PowerPC = 18;
    // The top byte of a subtype carries capability bits (CPU_SUBTYPE_PTRAUTH_ABI on arm64e), not the model.
    private const uint SubtypeMask = 0x00FFFFFF;

    public static string Of(uint cpuType, uint cpuSubtype)
    {
        var sub = cpuSubtype & SubtypeMask;
        return cpuType switch
        {
            Arm | Abi64 => sub switch { 2 => "arm64e", 1 => "arm64v8", _ => "arm64" },
            Arm | Abi64_32 => "arm64_32",
            Arm => sub switch
            {
                5 => "armv4t", 6 => "armv6", 7 => "armv5", 9 => "armv7", 10 => "armv7f", 11 => "armv7s", 12 => "armv7k",
                13 => "armv8", 14 => "armv6m", 15 => "armv7m", 16 => "armv7em", _ => "arm",
            },
            X86 | Abi64 => sub == 8 ? "x86_64h" : "x86_64",
            X86 => "i386",
            PowerPC => "ppc",
            PowerPC | Abi64 => "ppc64",
            _ => $"cpu_0x{cpuType:x}",
        };
    }
}
