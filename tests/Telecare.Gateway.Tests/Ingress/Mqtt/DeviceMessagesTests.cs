using System.Text;
using System.Text.Json;
using Telecare.Core.Calls;
using Telecare.Gateway.Ingress.Mqtt;

namespace Telecare.Gateway.Tests.Ingress.Mqtt;

/// <summary>The gateway → device payloads and which call moves a device hears of.</summary>
public sealed class DeviceMessagesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 3, 12, 9, TimeSpan.Zero);

    [Theory]
    [InlineData(CallState.Raised, CallAction.Answer, CallState.Answered, "answered")]
    [InlineData(CallState.ResponderAssigned, CallAction.Accept, CallState.ResponderAccepted, "responder-on-the-way")]
    [InlineData(CallState.ResponderAccepted, CallAction.EnRoute, CallState.EnRoute, null)]
    [InlineData(CallState.ResponderAssigned, CallAction.Decline, CallState.Answered, null)]
    [InlineData(CallState.Answered, CallAction.AssignResponder, CallState.ResponderAssigned, null)]
    [InlineData(CallState.Raised, CallAction.AddNote, CallState.Raised, null)]
    [InlineData(CallState.OnScene, CallAction.Resolve, CallState.Resolved, null)]
    public void Only_an_answer_and_a_responders_accept_are_told_to_the_device(CallState from, CallAction action, CallState to, string? expected) =>
        Assert.Equal(expected, DeviceMessages.CallProgress(from, action, to));

    [Fact]
    public void An_ack_carries_the_devices_seq_the_status_the_call_and_a_utc_time()
    {
        var ack = Json(DeviceMessages.Ack(17, DeviceMessages.Answered, 42, Now.ToOffset(TimeSpan.FromHours(1))));

        Assert.Equal(17, ack.GetProperty("seq").GetInt64());
        Assert.Equal("answered", ack.GetProperty("status").GetString());
        Assert.Equal(42, ack.GetProperty("callId").GetInt64());
        Assert.Equal("2026-11-22T03:12:09Z", ack.GetProperty("at").GetString());
    }

    [Fact]
    public void A_received_ack_has_no_call_yet_and_an_unknown_seq_is_null()
    {
        var received = Encoding.UTF8.GetString(DeviceMessages.Ack(null, DeviceMessages.Received, null, Now));

        Assert.Equal("""{"seq":null,"status":"received","at":"2026-11-22T03:12:09Z"}""", received);
    }

    [Fact]
    public void The_config_gives_the_heartbeat_and_test_mode_only_while_it_lasts()
    {
        Assert.Equal("""{"heartbeatSeconds":300,"testMode":true,"testModeUntil":"2026-11-22T04:12:09Z"}""",
            Encoding.UTF8.GetString(DeviceMessages.Config(300, Now.AddHours(1), Now)));
        Assert.Equal("""{"heartbeatSeconds":null,"testMode":false,"testModeUntil":null}""",
            Encoding.UTF8.GetString(DeviceMessages.Config(null, Now.AddSeconds(-1), Now)));
    }

    [Theory]
    [InlineData("pendant-001", true)]
    [InlineData("rx1/1000", false)]
    [InlineData("a+b", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Serial_receiver_accounts_are_not_mqtt_devices(string? deviceRef, bool expected) =>
        Assert.Equal(expected, DeviceMessages.IsMqttDeviceId(deviceRef));

    private static JsonElement Json(byte[] payload) => JsonDocument.Parse(payload).RootElement;
}
