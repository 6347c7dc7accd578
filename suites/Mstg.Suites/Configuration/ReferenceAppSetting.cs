using System.Runtime.CompilerServices;
using Mstg.Fixtures.ReferenceApps;

namespace Mstg.Suites.Configuration;

/// <summary>
/// The only place the suites touch the embedded reference targets, which are built with the clang toolchain
/// (fixtures/Mstg.Fixtures/Toolchain). Only a <c>reference:</c> setting reaches <see cref="Build"/>, and it is kept out of
/// line so that resolving a user's own .ipa, .app or plist never loads the fixtures' reference-app code: the user-facing
/// suite needs no clang unless a reference app is asked for.
/// </summary>
internal static class ReferenceAppSetting
{
    public const string Prefix = "reference:";

    public static bool IsReference(string setting) => setting.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string Build(string setting) => ReferenceAppCatalog.ResolveAppPath(setting);
}
