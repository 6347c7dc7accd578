namespace Mstg;

/// <summary>What a rule concluded about one place in the app.</summary>
/// <remarks>Ordered by weight so the worst verdict of a set is simply the maximum.</remarks>
public enum Verdict
{
    /// <summary>The rule ran and found the place compliant.</summary>
    Pass = 0,
    /// <summary>The rule could not run (for example an encrypted binary); the reason says why. Never counts as a pass.</summary>
    Skipped = 1,
    /// <summary>Evidence for a reviewer, no judgement.</summary>
    Info = 2,
    /// <summary>Weakens the requirement or needs a human look.</summary>
    Warn = 3,
    /// <summary>Breaks the requirement.</summary>
    Fail = 4,
}

/// <summary>How bad a finding is, in the vocabulary SARIF and Allure map onto.</summary>
public enum Severity
{
    Info = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}

/// <summary>MASVS verification level. Pinning (MSTG-NETWORK-4) is only required at L2.</summary>
public enum Profile
{
    L1 = 1,
    L2 = 2,
}
