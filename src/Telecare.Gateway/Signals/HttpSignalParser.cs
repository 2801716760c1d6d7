using System.Globalization;
using System.Text.Json;
using Telecare.Core.Signals;

namespace Telecare.Gateway.Signals;

/// <summary>
/// Turns a POST /api/v1/signals body into a signal, or names the field that is wrong. Pure: no I/O.
/// Body: {"deviceId": "...", "seq": 17, "ts": "2026-11-22T03:12:09Z", "type": "pendant.press", "restore": false,
/// "battery": 87, "zone": "1", "data": {...}}. Unknown fields are kept in the stored raw frame, never rejected.
/// </summary>
public static class HttpSignalParser
{
    public const int MaxDeviceIdLength = 128;

    public readonly record struct Result(IncomingSignal? Signal, string? Field, string? Error, string DeviceRef);

    public static Result Parse(ReadOnlyMemory<byte> body) => Parse(body, SignalSource.Http, deviceId: null, defaultType: null);

    /// <summary>
    /// The same body rules for every JSON source. An MQTT device's id comes from its topic (<paramref name="deviceId"/>),
    /// and a heartbeat may leave out its type (<paramref name="defaultType"/>).
    /// </summary>
    public static Result Parse(ReadOnlyMemory<byte> body, SignalSource source, string? deviceId, string? defaultType)
    {
        // The JSON reader checks UTF-8 only when a string is read; a bad byte must be a rejection, not an exception later.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return Fail("body", "is not valid UTF-8", "unknown");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            return Fail("body", $"malformed JSON: {ex.Message}", "unknown");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Fail("body", "must be a JSON object", "unknown");
            }

            if (deviceId is null)
            {
                if (!root.TryGetProperty("deviceId", out var deviceIdElement))
                {
                    return Fail("deviceId", "is required", "unknown");
                }

                if (deviceIdElement.ValueKind != JsonValueKind.String)
                {
                    return Fail("deviceId", "must be a string", "unknown");
                }

                deviceId = deviceIdElement.GetString()!;
                if (deviceId.Length == 0 || deviceId.Length > MaxDeviceIdLength)
                {
                    return Fail("deviceId", $"must be 1 to {MaxDeviceIdLength} characters", "unknown");
                }
            }

            long? sequence = null;
            if (root.TryGetProperty("seq", out var seqElement) && seqElement.ValueKind != JsonValueKind.Null)
            {
                if (seqElement.ValueKind != JsonValueKind.Number || !seqElement.TryGetInt64(out var seq) || seq < 0)
                {
                    return Fail("seq", "must be a whole number of 0 or more", deviceId);
                }

                sequence = seq;
            }

            DateTimeOffset? deviceTime = null;
            if (root.TryGetProperty("ts", out var tsElement) && tsElement.ValueKind != JsonValueKind.Null)
            {
                if (tsElement.ValueKind != JsonValueKind.String ||
                    !DateTimeOffset.TryParse(tsElement.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ts))
                {
                    return Fail("ts", "must be an ISO-8601 time", deviceId);
                }

                deviceTime = ts;
            }

            string type;
            if (!root.TryGetProperty("type", out var typeElement) && defaultType is not null)
            {
                type = defaultType;
            }
            else if (typeElement.ValueKind == JsonValueKind.Undefined)
            {
                return Fail("type", "is required", deviceId);
            }
            else if (typeElement.ValueKind != JsonValueKind.String)
            {
                return Fail("type", "must be a string", deviceId);
            }
            else
            {
                type = typeElement.GetString()!;
            }

            if (!EventTypes.IsKnown(type))
            {
                return Fail("type", $"'{Truncate(type)}' is not an event type this gateway knows", deviceId);
            }

            var restore = false;
            if (root.TryGetProperty("restore", out var restoreElement) && restoreElement.ValueKind != JsonValueKind.Null)
            {
                if (restoreElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return Fail("restore", "must be true or false", deviceId);
                }

                restore = restoreElement.GetBoolean();
            }

            int? battery = null;
            if (root.TryGetProperty("battery", out var batteryElement) && batteryElement.ValueKind != JsonValueKind.Null)
            {
                if (batteryElement.ValueKind != JsonValueKind.Number || !batteryElement.TryGetInt32(out var level) || level is < 0 or > 100)
                {
                    return Fail("battery", "must be a whole number from 0 to 100", deviceId);
                }

                battery = level;
            }

            string? zone = null;
            if (root.TryGetProperty("zone", out var zoneElement) && zoneElement.ValueKind != JsonValueKind.Null)
            {
                zone = zoneElement.ValueKind switch
                {
                    JsonValueKind.String => zoneElement.GetString(),
                    JsonValueKind.Number => zoneElement.GetRawText(),
                    _ => null,
                };
                if (zone is null || zone.Length > 32)
                {
                    return Fail("zone", "must be a string or number of at most 32 characters", deviceId);
                }
            }

            string? data = null;
            if (root.TryGetProperty("data", out var dataElement) && dataElement.ValueKind != JsonValueKind.Null)
            {
                if (dataElement.ValueKind != JsonValueKind.Object)
                {
                    return Fail("data", "must be a JSON object", deviceId);
                }

                data = dataElement.GetRawText();
            }

            var signal = new IncomingSignal
            {
                Source = source,
                DeviceRef = deviceId,
                Sequence = sequence,
                EventType = type,
                Restore = restore,
                DeviceTime = deviceTime,
                Battery = battery,
                Zone = zone,
                DataJson = data,
                RawFrame = body,
            };
            return new Result(signal, null, null, deviceId);
        }
    }

    private static Result Fail(string field, string error, string deviceRef) => new(null, field, error, deviceRef);

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
