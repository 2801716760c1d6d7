using System.Buffers;
using System.Text.Json;
using Telecare.Core.Calls;

namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>
/// The payloads the gateway sends a device (the MQTT device contract in the README): the ack on
/// <c>telecare/v1/{deviceId}/ack</c> and the retained config on <c>telecare/v1/{deviceId}/config</c>. Pure: no I/O, no clock.
/// </summary>
public static class DeviceMessages
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_ackBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_ackJson;

    public const string Received = "received";

    public const string Answered = "answered";

    public const string ResponderOnTheWay = "responder-on-the-way";

    /// <summary>
    /// What a call's move tells the device that raised it, or null for nothing. A responder is on the way from the
    /// accept (en route can only follow an accept, so it adds no second message); a new responder's accept after a
    /// decline or a reassignment is told again.
    /// </summary>
    public static string? CallProgress(CallState from, CallAction action, CallState to) => (from, action, to) switch
    {
        (CallState.Raised, CallAction.Answer, CallState.Answered) => Answered,
        (_, CallAction.Accept, CallState.ResponderAccepted) => ResponderOnTheWay,
        _ => null,
    };

    /// <summary>
    /// <c>{"seq":17,"status":"answered","callId":42,"at":"…Z"}</c>: <c>seq</c> is the device's own counter of the event
    /// concerned (null when unknown), <c>callId</c> is left out of "received" (triage has not raised the call yet).
    /// </summary>
    public static byte[] Ack(long? sequence, string status, long? callId, DateTimeOffset at)
    {
        // One writer per thread, reset for each ack: every stored alarm sends one, and only the payload must be new.
        var buffer = t_ackBuffer ??= new ArrayBufferWriter<byte>(128);
        buffer.ResetWrittenCount();
        var json = t_ackJson ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        json.WriteStartObject();
        if (sequence is { } seq)
        {
            json.WriteNumber("seq", seq);
        }
        else
        {
            json.WriteNull("seq");
        }

        json.WriteString("status", status);
        if (callId is { } id)
        {
            json.WriteNumber("callId", id);
        }

        json.WriteString("at", at.UtcDateTime);
        json.WriteEndObject();
        json.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// <c>{"heartbeatSeconds":300,"testMode":true,"testModeUntil":"…Z"}</c>. <c>heartbeatSeconds</c> is the check-in
    /// interval the gateway watches (null: none, the device keeps its own); <c>testModeUntil</c> is null outside test
    /// mode. Only settings the device acts on: never its secret, resident or zone.
    /// </summary>
    public static byte[] Config(int? heartbeatSeconds, DateTimeOffset? testModeUntil, DateTimeOffset now)
    {
        var testMode = testModeUntil is { } until && until > now;
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (heartbeatSeconds is { } seconds)
            {
                json.WriteNumber("heartbeatSeconds", seconds);
            }
            else
            {
                json.WriteNull("heartbeatSeconds");
            }

            json.WriteBoolean("testMode", testMode);
            if (testMode)
            {
                json.WriteString("testModeUntil", testModeUntil!.Value.UtcDateTime);
            }
            else
            {
                json.WriteNull("testModeUntil");
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A device reference that is one MQTT topic level: serial receiver accounts ("rx1/1000") are not.</summary>
    public static bool IsMqttDeviceId(string? deviceRef) =>
        !string.IsNullOrEmpty(deviceRef) && deviceRef.AsSpan().IndexOfAny("/+#\0") < 0;
}
