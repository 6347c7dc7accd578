using Mstg.Analysis.Rules;
using Mstg.MachO;

namespace Mstg.Analysis.Scanning;

/// <summary>
/// A Mach-O reader warning as a scan problem: the executable was only partly read (a limit cut it, strings were
/// encrypted, a structure could not be decoded), so what the rules saw is not the whole binary and the scan
/// cannot pass. Every <see cref="MachOWarningKind"/> becomes one of these.
/// </summary>
public sealed class ReaderWarningProblem(string executable, string architecture, MachOWarning warning)
    : MstgInputException(executable, PlaceOf(architecture, warning), warning.Message + "; the rules did not see the whole binary")
{
    public MachOWarning Warning { get; } = warning;

    private static string PlaceOf(string architecture, MachOWarning warning) =>
        warning.Limit is { } limit ? $"{architecture} slice, reader limit {limit}" : $"{architecture} slice, reader warning {warning.Kind}";

    /// <summary>One problem per warning of every image of the bundle's executable.</summary>
    public static IEnumerable<ReaderWarningProblem> Of(BundleContext context) =>
        context.Executable is not { } file
            ? []
            : file.Images.SelectMany(image => image.Warnings.Select(w => new ReaderWarningProblem(context.Bundle.Executable?.Path ?? file.Source, image.Architecture, w)));
}
