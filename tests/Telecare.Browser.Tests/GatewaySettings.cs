namespace Telecare.Browser.Tests;

/// <summary>How the tests configure the child gateway: environment variables only ({data} = its temp folder).</summary>
public static class GatewaySettings
{
    /// <summary>Short answer targets so the amber and red clocks are seen within seconds.</summary>
    public const int AnswerWarnSeconds = 4;

    public const int AnswerEscalateSeconds = 8;

    public static IReadOnlyList<string> Arguments { get; } = ["--demo"];

    public static Dictionary<string, string> Environment(int mqttPort) => new()
    {
        ["Mqtt__Port"] = mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Store__Path"] = "{data}/telecare.db",
        ["Store__BackupFolder"] = "{data}/backups",
        ["Calls__AnswerWarnSeconds"] = AnswerWarnSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Calls__AnswerEscalateSeconds"] = AnswerEscalateSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mqtt__Address"] = "127.0.0.1",
        // Every test signs in several browsers from one address; the limit itself is tested in Gateway.Tests.
        ["Security__LoginPermitLimit"] = "1000",
    };
}
