using Mstg.Analysis.Binary;
using Mstg.Analysis.Tests.Binary.Support;

namespace Mstg.Analysis.Tests.Binary;

public class LowLevelNetworkingRuleTests
{
    [Fact]
    public void Bsd_socket_imports_warn_with_the_symbols_as_evidence()
    {
        using var app = ScannedApp.WithExecutable(Clang.C(
            "extern int socket(int,int,int); extern int connect(int,const void*,unsigned); extern int getaddrinfo(const char*,const char*,const void*,void**);\n" +
            "int main(void){ void* r; getaddrinfo(\"httpbin.org\",\"80\",0,&r); int s = socket(2,1,0); return connect(s,0,0); }"));
        var finding = app.Run(new LowLevelNetworkingRule()).Should().ContainSingle().Subject;
        finding.Verdict.Should().Be(Verdict.Warn);
        finding.Message.Should().Contain("BSD sockets");
        finding.Evidence.Should().Contain("import socket").And.Contain("import connect").And.Contain("import getaddrinfo");
        finding.Location.Should().Be("App[arm64]:imports");
    }

    [Fact]
    public void Network_framework_is_found_by_its_dylib_and_imports()
    {
        using var app = ScannedApp.WithExecutable(Clang.C(
            "extern void* nw_connection_create(void*,void*); extern void* nw_endpoint_create_host(const char*,const char*);\n" +
            "int main(void){ return nw_connection_create(nw_endpoint_create_host(\"example.com\",\"80\"),0) != 0; }"));
        var finding = app.Run(new LowLevelNetworkingRule()).Should().ContainSingle().Subject;
        finding.Verdict.Should().Be(Verdict.Warn);
        finding.Evidence.Should().Contain("/System/Library/Frameworks/Network.framework/Network").And.Contain("import nw_connection_create");
    }

    [Fact]
    public void Cfnetwork_stream_pair_warns()
    {
        using var app = ScannedApp.WithExecutable(Clang.C(
            "extern void CFStreamCreatePairWithSocketToHost(void*,void*,unsigned,void**,void**);\n" +
            "int main(void){ CFStreamCreatePairWithSocketToHost(0,0,80,0,0); return 0; }"));
        app.Run(new LowLevelNetworkingRule()).Should().ContainSingle()
            .Which.Message.Should().Contain("CFNetwork");
    }

    [Fact]
    public void Binary_without_low_level_apis_passes()
    {
        using var app = ScannedApp.WithExecutable(Clang.C(Clang.Prelude + "int main(void){ puts(\"hello\"); return 0; }"));
        app.Run(new LowLevelNetworkingRule()).Should().ContainSingle().Which.Verdict.Should().Be(Verdict.Pass);
    }

    [Fact]
    public void Swift_network_types_are_recognised_in_imports()
    {
        var context = ModelBuilder.Context(ModelBuilder.Image(imports: ["$s7Network12NWConnectionC4host4port5usingAcA10NWEndpointO4HostO_AH4PortVAA12NWParametersCtcfC"]));
        new LowLevelNetworkingRule().Evaluate(context).Should().ContainSingle().Which.Verdict.Should().Be(Verdict.Warn);
    }
}
