using Mstg.Allure.Model;

namespace Mstg.Allure.Runtime;

/// <summary>
/// An open step or fixture; disposing it closes it. A <c>using</c> block cannot see an exception passing through
/// it, so it ends as passed unless <see cref="Fail"/> or <see cref="SetStatus"/> was called — use the lambda
/// overloads of <see cref="AllureApi.Step(string, Action)"/> to get failed/broken automatically.
/// </summary>
public sealed class StepHandle : IDisposable
{
    private readonly ExecutableItem _item;
    private readonly AllureLifecycle.Frame? _frame;
    private int _disposed;

    internal StepHandle(ExecutableItem item, AllureLifecycle.Frame? frame)
    {
        _item = item;
        _frame = frame;
    }

    /// <summary>A handle for calls made while Allure is inactive or outside any test: it records nothing.</summary>
    internal static StepHandle Inactive() => new(new StepResult(), null);

    public bool IsRecording => _frame is not null;

    /// <summary>Adds a parameter shown next to the step.</summary>
    public StepHandle Parameter(string name, object? value, ParameterMode mode = ParameterMode.Default)
    {
        lock (_frame?.Root ?? _item) _item.Parameters.Add(new Parameter(name, ParameterValues.Format(value), false, mode));
        return this;
    }

    public void SetStatus(Status status, string? message = null)
    {
        _item.Status = status;
        if (message is not null) _item.StatusDetails = new StatusDetails { Message = message };
    }

    /// <summary>Marks the step failed (assertion) or broken (any other exception) with the exception's message and trace.</summary>
    public void Fail(Exception exception)
    {
        _item.Status = ExceptionStatus.Of(exception);
        _item.StatusDetails = ExceptionStatus.Details(exception);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _item.Status ??= Status.Passed;
        _item.Stage = Stage.Finished;
        _item.Stop = AllureLifecycle.Now();
        if (_frame is not null) AllureLifecycle.Pop(_frame);
    }
}
