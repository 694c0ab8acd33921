using Roster.Cli;

return await RosterCli.RunAsync(args);
