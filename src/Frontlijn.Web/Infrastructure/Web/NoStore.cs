namespace Frontlijn.Web.Infrastructure.Web;

/// <summary>
/// <c>Cache-Control: no-store</c> on everything that may carry personal data: every API answer (but the public
/// OpenAPI document), every page, the hub's negotiate. Only the files under wwwroot (scripts, styles, images, linked
/// with a version) stay cacheable, so no browser, shared computer or proxy keeps a copy of a household's page.
/// </summary>
public static class NoStore
{
    public static IApplicationBuilder UseNoStore(this IApplicationBuilder app)
    {
        var files = app.ApplicationServices.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider;
        return app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var path = context.Request.Path;
                var cacheable = path.Equals(WebConventions.ApiBase + "/openapi.json", StringComparison.Ordinal) ||
                                (Path.HasExtension(path.Value) && files.GetFileInfo(path.Value!).Exists);
                if (!cacheable)
                {
                    context.Response.Headers.CacheControl = "no-store";
                }
                return Task.CompletedTask;
            });
            await next(context);
        });
    }
}
