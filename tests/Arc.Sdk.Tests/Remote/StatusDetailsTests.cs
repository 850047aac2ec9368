using Arc.Remote;

namespace Arc.Sdk.Tests.Remote;

/// <summary>Status details stay short whatever they quote, and are never cut inside a character.</summary>
public sealed class StatusDetailsTests
{
    [Fact]
    public void A_short_detail_is_kept_whole()
    {
        string detail = new('a', StatusDetails.MaxChars);
        Assert.Same(detail, StatusDetails.Clip(detail));
    }

    [Fact]
    public void A_quoted_text_is_clipped_shorter_than_a_detail()
    {
        string text = new('c', StatusDetails.MaxQuotedChars + 1);
        Assert.Equal(text[..StatusDetails.MaxQuotedChars] + $"… ({text.Length} characters)", StatusDetails.Quote(text));
    }

    [Fact]
    public void A_long_detail_keeps_its_start_and_says_how_long_it_was()
    {
        string detail = "malformed 'x' message: " + new string('k', 5000);

        string clipped = StatusDetails.Clip(detail);

        Assert.Equal(detail[..StatusDetails.MaxChars] + $"… ({detail.Length} characters)", clipped);
    }

    [Fact]
    public void A_clip_never_splits_a_surrogate_pair()
    {
        // U+1F600 is two UTF-16 units; the pair straddles the limit.
        string detail = new string('a', StatusDetails.MaxChars - 1) + "\U0001F600" + new string('b', 10);

        string clipped = StatusDetails.Clip(detail);

        Assert.Equal(new string('a', StatusDetails.MaxChars - 1) + $"… ({detail.Length} characters)", clipped);
    }
}
