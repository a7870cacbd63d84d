using FluentValidation;
using Frontlijn.Web.Infrastructure.Web;

namespace Frontlijn.UnitTests.Web;

public sealed class PagingTests
{
    [Fact]
    public void Nothing_IsTheFirstPageOf50()
    {
        var paging = WebConventions.ReadPaging(null, null);
        Assert.Equal((1, 50, 0, 50), (paging.Page, paging.PageSize, paging.Offset, paging.Limit));
    }

    [Fact]
    public void Offset_SkipsTheEarlierPages() => Assert.Equal(40, WebConventions.ReadPaging(3, 20).Offset);

    [Fact]
    public void TheLastAllowedPage_StillHasAPositiveOffset()
    {
        var paging = WebConventions.ReadPaging(WebConventions.MaxPage, 200);
        Assert.Equal((long)(WebConventions.MaxPage - 1) * 200, paging.Offset);
    }

    [Theory]
    [InlineData(0, null, "page")]
    [InlineData(-1, null, "page")]
    [InlineData(WebConventions.MaxPage + 1, null, "page")]
    [InlineData(int.MaxValue, 200, "page")]
    [InlineData(null, 0, "pageSize")]
    [InlineData(null, 201, "pageSize")]
    public void OutOfRange_IsAValidationError(int? page, int? pageSize, string property)
    {
        var error = Assert.Throws<ValidationException>(() => WebConventions.ReadPaging(page, pageSize));
        Assert.Equal([property], error.Errors.Select(e => e.PropertyName).Distinct());
    }
}
