package jail

import (
	"fmt"
	"math"
	"time"
)

// DefaultFormula is fail2ban's bantime.formula when none is set.
const DefaultFormula = "ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor"

// BanTimeExtra holds the bantime.* options (fail2ban's jail.conf
// "bantime.increment" family).
type BanTimeExtra struct {
	Increment    bool          // bantime.increment
	Factor       string        // bantime.factor expression; "" = 1
	Formula      string        // bantime.formula; "" = DefaultFormula
	Multipliers  []int         // bantime.multipliers; replaces the formula when set
	MaxTime      time.Duration // bantime.maxtime; <= 0 = unset
	RndTime      time.Duration // bantime.rndtime; <= 0 = unset
	OverallJails bool          // bantime.overalljails
}

// banCalc is a compiled BanTimeExtra.
type banCalc struct {
	BanTimeExtra
	factor  num
	formula expr
}

func compileBanTimeExtra(e BanTimeExtra) (*banCalc, error) {
	c := &banCalc{BanTimeExtra: e, factor: intNum(1)}
	if e.Factor != "" {
		f, err := compileExpr(e.Factor)
		if err != nil {
			return nil, fmt.Errorf("bantime.factor: %w", err)
		}
		if c.factor, err = f(&exprEnv{random: func() float64 { return 0 }}); err != nil {
			return nil, fmt.Errorf("bantime.factor: %w", err)
		}
	}
	src := e.Formula
	if src == "" {
		src = DefaultFormula
	}
	f, err := compileExpr(src)
	if err != nil {
		return nil, fmt.Errorf("bantime.formula: %w", err)
	}
	c.formula = f
	return c, nil
}

// banTime computes the increased ban time for a jail ban time base and a
// previous ban count (count >= 1), in fail2ban's order: formula (never
// below base) or multipliers, then the maxtime cap, then the random part.
func (c *banCalc) banTime(base time.Duration, count int, rnd func() float64) (time.Duration, error) {
	baseSec := intNum(int64(base / time.Second))
	var secs float64
	if n := len(c.Multipliers); n > 0 {
		m := c.Multipliers[min(count, n-1)]
		v, err := arith("*", baseSec, c.factor)
		if err != nil {
			return 0, err
		}
		secs = v.f * float64(m)
	} else {
		env := &exprEnv{banTime: baseSec, banCount: intNum(int64(count)), banFactor: c.factor, random: rnd}
		v, err := c.formula(env)
		if err != nil {
			return 0, fmt.Errorf("bantime.formula: %w", err)
		}
		secs = math.Max(baseSec.f, v.f)
	}
	if c.MaxTime > 0 {
		secs = math.Min(secs, c.MaxTime.Seconds())
	}
	if c.RndTime > 0 {
		secs += rnd() * c.RndTime.Seconds()
	}
	return secondsToDuration(secs), nil
}

func secondsToDuration(s float64) time.Duration {
	if s >= float64(math.MaxInt64)/float64(time.Second) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(s * float64(time.Second))
}

// badRetries is the "bad IP" acceleration: the retries one new failure of
// an id with prevCount previous bans counts for, capped at maxRetry.
func badRetries(prevCount, maxRetry int) int {
	r := float64(int64(1)<<min(prevCount, 20))/2 + 1
	return int(math.Min(r, float64(maxRetry)))
}
