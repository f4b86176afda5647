"""Feed watch: saved queries run over news feeds (from cron), keeping only what matches."""
