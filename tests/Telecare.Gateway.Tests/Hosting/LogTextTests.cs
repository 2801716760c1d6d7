using Telecare.Gateway.Hosting;

namespace Telecare.Gateway.Tests.Hosting;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("handler", "handler")]
    [InlineData("evil\n[12:00:00 INF] admin signed in", "evil\\u000a[12:00:00 INF] admin signed in")]
    [InlineData("a\u0000b\u202ec\ufeff", "a\\u0000b\\u202ec\\ufeff")]
    [InlineData(null, "(none)")]
    public void Caller_text_cannot_forge_or_hide_log_lines(string? text, string expected) => Assert.Equal(expected, LogText.Safe(text));

    [Fact]
    public void Long_text_is_cut() => Assert.Equal(new string('x', LogText.MaxLength) + "…", LogText.Safe(new string('x', 5000)));
}
