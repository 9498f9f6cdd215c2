package main

import (
	"context"
	"os"
	"time"

	"github.com/chromedp/chromedp"
)

func do(ctx context.Context, as ...chromedp.Action[chromedp.Void]) {
	for _, a := range as {
		if _, err := chromedp.Run(ctx, a); err != nil {
			panic(err)
		}
	}
}

func main() {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.NoSandbox)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 120*time.Second)
	defer cancel()
	base := "http://127.0.0.1:8103"
	do(ctx, chromedp.Navigate(base+"/login"), chromedp.SendKeys("#username", os.Args[1]), chromedp.SendKeys("#password", "kechuang2023"),
		chromedp.Submit("#password"), chromedp.Sleep(time.Second))
	for i := 2; i+1 < len(os.Args); i += 2 {
		for _, wd := range []int64{1440, 390} {
			do(ctx, chromedp.EmulateViewport(wd, 900), chromedp.Navigate(base+os.Args[i]), chromedp.Sleep(300*time.Millisecond))
			buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				panic(err)
			}
			os.WriteFile("/tmp/evalui/"+os.Args[i+1]+"-"+map[int64]string{1440: "w", 390: "p"}[wd]+".png", buf, 0o644)
		}
	}
}
