namespace Mstg.Allure.Model;

// Enum member names are written camel-cased by AllureJson ("passed", "masked", "tms"), which is exactly
// the spelling Allure 2 and Allure 3 expect.

/// <summary>Outcome of a test, step or fixture. Allure tells an assertion failure (failed) from any other error (broken).</summary>
public enum Status
{
    Passed,
    Failed,
    Broken,
    Skipped,
}

/// <summary>Life-cycle stage; neither reader needs it but both accept it, and "finished" keeps old viewers happy.</summary>
public enum Stage
{
    Scheduled,
    Running,
    Finished,
    Pending,
    Interrupted,
}

/// <summary>How a parameter value is shown: as is, as ******, or not at all.</summary>
public enum ParameterMode
{
    Default,
    Masked,
    Hidden,
}

/// <summary>Link kinds Allure draws with their own icons.</summary>
public enum LinkType
{
    Link,
    Issue,
    Tms,
}
