package jail

import "context"

// nopActions is used when a jail has no Actions.
type nopActions struct{}

func (nopActions) Start(context.Context) error           { return nil }
func (nopActions) Ban(context.Context, Ticket) error     { return nil }
func (nopActions) Unban(context.Context, Ticket) error   { return nil }
func (nopActions) Flush(context.Context, []Ticket) error { return nil }
func (nopActions) Stop(context.Context) error            { return nil }
