namespace Telecare.Protocols.Mqtt;

/// <summary>Topic name and filter rules (OASIS 2014 4.7, OASIS 2019 4.7 and 4.8.2).</summary>
public static class MqttTopic
{
    public const string SharePrefix = "$share/";

    /// <summary>A topic name a PUBLISH may carry: non-empty, no wildcard characters.</summary>
    public static bool IsValidTopicName(string topic) =>
        topic.Length > 0 && topic.AsSpan().IndexOfAny('+', '#') < 0;

    /// <summary>A topic filter: '#' only as the whole last level, '+' only as a whole level.</summary>
    public static bool IsValidTopicFilter(string filter)
    {
        if (filter.Length == 0)
        {
            return false;
        }

        if (filter.StartsWith(SharePrefix, StringComparison.Ordinal))
        {
            return TrySplitShared(filter, out _, out _);
        }

        return IsValidPlainFilter(filter);
    }

    /// <summary>Splits <c>$share/{group}/{filter}</c>; false when the text is not a valid shared filter.</summary>
    public static bool TrySplitShared(string filter, out string group, out string innerFilter)
    {
        group = "";
        innerFilter = "";
        if (!filter.StartsWith(SharePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = filter.AsSpan(SharePrefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }

        var name = rest[..slash];
        if (name.IndexOfAny('+', '#') >= 0)
        {
            return false;
        }

        var inner = rest[(slash + 1)..];
        if (inner.Length == 0 || !IsValidPlainFilter(inner))
        {
            return false;
        }

        group = name.ToString();
        innerFilter = inner.ToString();
        return true;
    }

    private static bool IsValidPlainFilter(ReadOnlySpan<char> filter)
    {
        if (filter.Length == 0)
        {
            return false;
        }

        for (var i = 0; i < filter.Length; i++)
        {
            var c = filter[i];
            if (c == '#')
            {
                // Must be the last character and stand alone in its level.
                if (i != filter.Length - 1 || (i > 0 && filter[i - 1] != '/'))
                {
                    return false;
                }
            }
            else if (c == '+')
            {
                if ((i > 0 && filter[i - 1] != '/') || (i < filter.Length - 1 && filter[i + 1] != '/'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    public static bool HasWildcard(string filter) => filter.AsSpan().IndexOfAny('+', '#') >= 0;

    /// <summary>
    /// Whether a (plain, valid) filter matches a topic name. Topics starting with '$' are not matched
    /// by a filter whose first level is a wildcard.
    /// </summary>
    public static bool Matches(string filter, string topic)
    {
        if (topic.Length > 0 && topic[0] == '$' && filter.Length > 0 && (filter[0] == '+' || filter[0] == '#'))
        {
            return false;
        }

        var f = filter.AsSpan();
        var t = topic.AsSpan();
        while (true)
        {
            var fSlash = f.IndexOf('/');
            var fLevel = fSlash < 0 ? f : f[..fSlash];
            if (fLevel.Length == 1 && fLevel[0] == '#')
            {
                return true;
            }

            var tSlash = t.IndexOf('/');
            var tLevel = tSlash < 0 ? t : t[..tSlash];
            if (!(fLevel.Length == 1 && fLevel[0] == '+') && !fLevel.SequenceEqual(tLevel))
            {
                return false;
            }

            if (fSlash < 0 && tSlash < 0)
            {
                return true;
            }

            if (tSlash < 0)
            {
                // Topic ended; "a/#" still matches "a" (the parent level).
                var restOfFilter = f[(fSlash + 1)..];
                return restOfFilter.Length == 1 && restOfFilter[0] == '#';
            }

            if (fSlash < 0)
            {
                return false;
            }

            f = f[(fSlash + 1)..];
            t = t[(tSlash + 1)..];
        }
    }
}
