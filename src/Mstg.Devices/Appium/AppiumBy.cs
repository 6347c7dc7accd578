using Mstg.Devices.Scenarios;
using OpenQA.Selenium;

namespace Mstg.Devices.Appium;

/// <summary>
/// A locator with any W3C strategy string: Selenium's protected <c>By(mechanism, criteria)</c> sends it to the server
/// as it is, which is all Appium's MobileBy does (<c>accessibility id</c>, <c>-ios predicate string</c>, <c>-ios class chain</c>).
/// </summary>
public sealed class AppiumBy : By
{
    private AppiumBy(string mechanism, string criteria) : base(mechanism, criteria) { }

    public static By AccessibilityId(string id) => new AppiumBy("accessibility id", id);
    public static By IosPredicate(string predicate) => new AppiumBy("-ios predicate string", predicate);
    public static By IosClassChain(string chain) => new AppiumBy("-ios class chain", chain);

    public static By From(Locator locator) => locator.Kind switch
    {
        LocatorKind.XPath => XPath(locator.Value),
        LocatorKind.Css => CssSelector(locator.Value),
        LocatorKind.Id => Id(locator.Value),
        _ => new AppiumBy(locator.Strategy, locator.Value),
    };
}
