namespace Mstg;

/// <summary>Every exit code <c>mstg</c> (and the proxy and report commands it runs) returns; nowhere else returns a number.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>A rule failed (with <c>--fail-on warn</c> also a warning; with <c>--strict</c> an incomplete scan); the proxy could not listen; a tool was missing.</summary>
    public const int RuleFailed = 1;
    public const int Usage = 2;
    /// <summary>Stopped by SIGINT (128 + 2).</summary>
    public const int Interrupted = 130;
    /// <summary>Stopped by SIGTERM (128 + 15).</summary>
    public const int Terminated = 143;
}
