using System.ComponentModel.DataAnnotations;

namespace Telecare.Gateway.Calls;

/// <summary>Section "Calls": the answer targets the console clock colours by (TEC Quality Standards: 60 s and 180 s).</summary>
public sealed class CallOptions
{
    public const string Section = "Calls";

    [Range(1, 3600)]
    public int AnswerWarnSeconds { get; set; } = 60;

    [Range(1, 7200)]
    public int AnswerEscalateSeconds { get; set; } = 180;
}
