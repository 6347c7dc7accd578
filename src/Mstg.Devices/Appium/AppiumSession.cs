using OpenQA.Selenium;
using OpenQA.Selenium.Remote;

namespace Mstg.Devices.Appium;

/// <summary>
/// Opens a W3C session on a hub (a local Appium server or a farm). Any failure to open one is an environment problem
/// and says which URL (without user info) and which credential variables to check, never their values.
/// </summary>
public static class AppiumSession
{
    public static RemoteWebDriver Open(DeviceTarget target, TimeSpan? commandTimeout = null)
    {
        try
        {
            return new RemoteWebDriver(target.Hub, target.Options.ToCapabilities(), commandTimeout ?? TimeSpan.FromSeconds(180));
        }
        // Selenium 4.52 reports a refused session (SessionNotCreated) as InvalidOperationException, transport failures as WebDriverException.
        catch (Exception e) when (e is WebDriverException or InvalidOperationException)
        {
            var hub = target.Hub.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
            var unreachable = e.InnerException is HttpRequestException or TaskCanceledException or System.Net.Sockets.SocketException;
            var problem = unreachable
                ? $"{hub} is unreachable ({FirstLine(e.InnerException!.Message)})"
                : $"{hub} refused the session: {Redact(FirstLine(e.Message), target)}";
            var variables = target.CredentialVariables.Count > 0 ? string.Join(", ", target.CredentialVariables) : null;
            throw new DeviceEnvironmentException(target.Name, problem, variables, e);
        }
    }

    /// <summary>
    /// Reads a log through Appium 3's <c>POST /session/{id}/se/log</c> endpoint (Selenium 4 keeps no typed call
    /// for it). A driver without that log type is an environment error naming it.
    /// </summary>
    /// <summary>
    /// Quits and disposes the session in <paramref name="session"/> and clears the field, at most once even when two
    /// callers stop the same driver; a field that is already null is left alone.
    /// </summary>
    public static void Close(ref RemoteWebDriver? session)
    {
        var open = Interlocked.Exchange(ref session, null);
        open?.Quit();
        open?.Dispose();
    }

    public static string ReadLog(RemoteWebDriver session, string logType)
    {
        const string command = "mstgGetLog";
        session.RegisterCustomDriverCommand(command, new HttpCommandInfo(HttpCommandInfo.PostCommand, "/session/{sessionId}/se/log"));
        try
        {
            var entries = session.ExecuteCustomDriverCommand(command, new Dictionary<string, object?> { ["type"] = logType }) as IEnumerable<object>;
            return string.Join('\n', (entries ?? []).OfType<IDictionary<string, object>>()
                .Select(e => $"{(e.TryGetValue("timestamp", out var t) ? t : "")} {(e.TryGetValue("level", out var l) ? l : "")} {(e.TryGetValue("message", out var m) ? m : "")}"));
        }
        // Selenium answers an endpoint the server lacks with NotImplementedException, a refused log type with WebDriverException.
        catch (Exception e) when (e is WebDriverException or NotImplementedException)
        {
            throw new DeviceEnvironmentException($"{logType} log", "the driver cannot give it: " + FirstLine(e.Message), inner: e);
        }
    }

    /// <summary>A farm may echo the capabilities in its error; the secrets must not reach a report through it.</summary>
    private static string Redact(string message, DeviceTarget target) =>
        target.Secrets.Where(s => s.Length > 0).Aggregate(message, (m, s) => m.Replace(s, "***", StringComparison.Ordinal));

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
