using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Telecare.Browser.Tests;

/// <summary>Every test leaves a picture of its final state under the test output folder (screenshots/).</summary>
public static class Screenshots
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<string> SaveAsync(IPage page, string? suffix = null, [CallerMemberName] string test = "")
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, suffix is null ? $"{test}.png" : $"{test}-{suffix}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }
}
