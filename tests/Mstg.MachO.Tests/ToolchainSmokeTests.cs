using Mstg.Fixtures.Toolchain;

namespace Mstg.MachO.Tests;

public class ToolchainSmokeTests
{
    [Fact]
    public void Builds_real_arm64_executable_with_system_dylibs()
    {
        var bytes = ClangToolchain.Instance.Build(new MachOSpec
        {
            Source = "extern int SecTrustEvaluateWithError(void*,void*); extern int socket(int,int,int);\n" +
                     "int main(void){ return SecTrustEvaluateWithError(0,0) + socket(2,1,0); }",
        });
        BitConverter.ToUInt32(bytes, 0).Should().Be(0xFEEDFACF);
        System.Text.Encoding.ASCII.GetString(bytes).Should().Contain("/System/Library/Frameworks/Security.framework/Security");
        ClangToolchain.WithCryptId(bytes, 1).Should().NotEqual(bytes);
    }
}
