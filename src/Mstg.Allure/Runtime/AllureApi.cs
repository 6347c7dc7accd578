using System.Text;
using System.Text.Json;
using Mstg.Allure.Model;

namespace Mstg.Allure.Runtime;

/// <summary>
/// Static API for test and fixture code: steps, attachments, labels, links, parameters and fixtures.
/// Every call finds its test through <see cref="AllureLifecycle"/> (async-safe); outside a test, or when no
/// integration is installed, calls do nothing, so library code may use it freely.
/// </summary>
/// <remarks>
/// Named AllureApi rather than Allure: inside any namespace below Mstg, the simple name "Allure" binds to the
/// namespace Mstg.Allure before any using directive is consulted, so a class called Allure would be unusable there.
/// </remarks>
public static class AllureApi
{
    // ---- steps ----

    /// <summary>Opens a step nested in the current step (or the test); dispose it to close it.</summary>
    public static StepHandle Step(string name)
    {
        if (AllureLifecycle.CurrentTarget() is not var (parent, root)) return StepHandle.Inactive();
        var step = new StepResult { Name = name, Start = AllureLifecycle.Now(), Stage = Stage.Running };
        // Every change to a test's (or fixture's) tree locks its root, the same object the recorder locks while it
        // writes the result, so code still running after a time-out cannot modify a list being serialised.
        lock (root) parent.Steps.Add(step);
        return new StepHandle(step, AllureLifecycle.Push(step, root));
    }

    // The asynchronous overloads are named *Async on purpose: with the same name, a lambda such as
    // `() => throw new X()` binds to Func<Task>, its exception ends up in a Task nobody awaits, and the failure vanishes.

    /// <summary>Runs <paramref name="body"/> as a step; an exception marks it failed/broken and is rethrown.</summary>
    public static void Step(string name, Action body)
    {
        using var step = Step(name);
        try { body(); }
        catch (Exception e) { step.Fail(e); throw; }
    }

    public static T Step<T>(string name, Func<T> body)
    {
        using var step = Step(name);
        try { return body(); }
        catch (Exception e) { step.Fail(e); throw; }
    }

    public static async Task StepAsync(string name, Func<Task> body)
    {
        using var step = Step(name);
        try { await body().ConfigureAwait(false); }
        catch (Exception e) { step.Fail(e); throw; }
    }

    public static async Task<T> StepAsync<T>(string name, Func<Task<T>> body)
    {
        using var step = Step(name);
        try { return await body().ConfigureAwait(false); }
        catch (Exception e) { step.Fail(e); throw; }
    }

    // ---- fixtures ----

    /// <summary>
    /// Records a set-up or tear-down of a class/collection/assembly fixture (or of the test's constructor/Dispose)
    /// into the container whose children are the tests that use the fixture. Steps and attachments made while it
    /// is open go into the fixture.
    /// </summary>
    public static StepHandle Fixture(string name, FixtureKind kind = FixtureKind.Auto)
    {
        var fixture = AllureLifecycle.Host?.StartFixture(name, kind);
        if (fixture is null) return StepHandle.Inactive();
        fixture.Start = AllureLifecycle.Now();
        fixture.Stage = Stage.Running;
        return new StepHandle(fixture, AllureLifecycle.Push(fixture, fixture));
    }

    public static void Fixture(string name, Action body, FixtureKind kind = FixtureKind.Auto)
    {
        using var fixture = Fixture(name, kind);
        try { body(); }
        catch (Exception e) { fixture.Fail(e); throw; }
    }

    public static async Task FixtureAsync(string name, Func<Task> body, FixtureKind kind = FixtureKind.Auto)
    {
        using var fixture = Fixture(name, kind);
        try { await body().ConfigureAwait(false); }
        catch (Exception e) { fixture.Fail(e); throw; }
    }

    // ---- attachments ----

    /// <summary>Stores <paramref name="content"/> and attaches it to the current step, fixture or test.</summary>
    /// <param name="name">Display name; any characters are fine (the file name is generated).</param>
    /// <returns>The attachment, or null when there is nothing to attach to.</returns>
    public static Attachment? Attach(string name, byte[] content, string mimeType, string? extension)
    {
        var host = AllureLifecycle.Host;
        if (host is null || AllureLifecycle.CurrentTarget() is not var (target, root)) return null;
        var attachment = host.Writer.WriteAttachment(name, content, mimeType, extension);
        lock (root) target.Attachments.Add(attachment);
        return attachment;
    }

    public static Attachment? AttachText(string name, string text) =>
        Attach(name, Encoding.UTF8.GetBytes(text), "text/plain", "txt");

    /// <summary>Attaches JSON text as is.</summary>
    public static Attachment? AttachJson(string name, string json) =>
        Attach(name, Encoding.UTF8.GetBytes(json), "application/json", "json");

    /// <summary>Serialises <paramref name="value"/> (indented) and attaches it.</summary>
    public static Attachment? AttachJson<T>(string name, T value) =>
        AttachJson(name, JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true }));

    public static Attachment? AttachPng(string name, byte[] png) => Attach(name, png, "image/png", "png");

    /// <summary>
    /// Attaches an HTTP archive. Neither Allure 2 nor Allure 3 has a HAR viewer (there is no HAR MIME type in
    /// either), so it is stored as application/json — shown as formatted JSON — with a .har extension so a
    /// download opens in HAR tools.
    /// </summary>
    public static Attachment? AttachHar(string name, string harJson) =>
        Attach(name, Encoding.UTF8.GetBytes(harJson), "application/json", "har");

    /// <summary>
    /// Attaches a PEM certificate or key. Stored as text/plain so both reports show it inline (an
    /// application/x-pem-file attachment is only offered as a download), with a .pem extension.
    /// </summary>
    public static Attachment? AttachPem(string name, string pem) =>
        Attach(name, Encoding.ASCII.GetBytes(pem), "text/plain", "pem");

    // ---- metadata of the current test ----

    public static void Label(string name, string value) =>
        WithTest(t => t.Labels.Add(new Label(LabelNames.Canonical(name), value)));

    public static void Link(string name, string url, LinkType type = LinkType.Link) =>
        WithTest(t => t.Links.Add(new Link(name, url, type)));

    /// <summary>
    /// Adds a test parameter. <paramref name="excluded"/> leaves it out of the history key (use it for seeds,
    /// timestamps, ports); <paramref name="mode"/> masks or hides the value in the report.
    /// </summary>
    public static void Parameter(string name, object? value, bool excluded = false, ParameterMode mode = ParameterMode.Default) =>
        WithTest(t =>
        {
            t.Parameters.RemoveAll(p => p.Name == name);
            t.Parameters.Add(new Parameter(name, ParameterValues.Format(value), excluded, mode));
        });

    public static void Description(string markdown) => WithTest(t => t.Description = markdown);

    private static void WithTest(Action<TestResult> change)
    {
        var test = AllureLifecycle.Host?.CurrentTest();
        if (test is null) return;
        lock (test) change(test);
    }
}
