namespace Telecare.Browser.Tests;

/// <summary>How the tests configure the child gateway: environment variables only ({data} = its temp folder).</summary>
public static class GatewaySettings
{
    /// <summary>Short answer targets so the amber and red clocks are seen within seconds.</summary>
    public const int AnswerWarnSeconds = 4;

    public const int AnswerEscalateSeconds = 8;

    public static IReadOnlyList<string> Arguments { get; } = ["--demo"];

    public static Dictionary<string, string> Environment(int mqttPort, string receiverPath) => new()
    {
        // A Sur-Gard receiver (firmware-sim's emulator) on a pty; it sends no heartbeats in these tests, so the link
        // supervision is set long enough not to fill the ticket list.
        ["Serial__Ports__0__Path"] = receiverPath,
        ["Serial__Ports__0__ReceiverId"] = "rx1",
        ["Serial__Ports__0__Dialect"] = "SurGardMlr2",
        ["Serial__Ports__0__BaudRate"] = "9600",
        ["Serial__Ports__0__HeartbeatTimeoutSeconds"] = "3600",
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
