using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using RevokeFunctions.App;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
AppComposition.Configure(builder.Services, builder.Configuration);
builder.Build().Run();
