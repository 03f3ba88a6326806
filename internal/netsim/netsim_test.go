package netsim

import (
	"bytes"
	"crypto/rand"
	"io"
	"net"
	"testing"
	"time"
)

func TestPacerSerialisesBytesAndPipelinesLatency(t *testing.T) {
	// given a 256 kbit/s line with 150 ms one way
	p := pacer{bps: 256_000}
	lat := 150 * time.Millisecond
	t0 := time.Unix(1000, 0)
	// when two 3 200-byte segments are booked at the same instant
	d1, a1 := p.schedule(t0, 3200, lat)
	d2, a2 := p.schedule(t0, 3200, lat)
	// then each occupies the line 100 ms, and the second arrives 100 ms
	// after the first, not a whole latency later
	if got := d1.Sub(t0); got != 100*time.Millisecond {
		t.Errorf("first departure after %s, want 100ms", got)
	}
	if got := a1.Sub(t0); got != 250*time.Millisecond {
		t.Errorf("first arrival after %s, want 250ms", got)
	}
	if got := d2.Sub(t0); got != 200*time.Millisecond {
		t.Errorf("second departure after %s, want 200ms", got)
	}
	if got := a2.Sub(a1); got != 100*time.Millisecond {
		t.Errorf("second arrives %s after the first, want 100ms", got)
	}
	// and a segment booked after the line went idle starts at once
	t1 := t0.Add(time.Second)
	if d, a := p.schedule(t1, 320, lat); d.Sub(t1) != 10*time.Millisecond || a.Sub(t1) != 160*time.Millisecond {
		t.Errorf("idle line: departure +%s arrival +%s, want +10ms +160ms", d.Sub(t1), a.Sub(t1))
	}
}

func TestLinkCarriesBytesInOrderBothWaysAndCountsThem(t *testing.T) {
	// given an echo server behind a fast simulated link
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.Copy(c, c)
	}()
	link := New(50_000_000, time.Millisecond)
	c, err := link.DialContext(t.Context(), "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// when 200 kB go up and come back
	msg := make([]byte, 200_000)
	rand.Read(msg)
	errc := make(chan error, 1)
	go func() { _, err := c.Write(msg); errc <- err }()
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	// then they are the same bytes, counted once each way
	if !bytes.Equal(got, msg) {
		t.Fatal("echo differs from what was sent")
	}
	if link.Sent() != int64(len(msg)) || link.Received() != int64(len(msg)) {
		t.Fatalf("counted %d up, %d down; want %d each", link.Sent(), link.Received(), len(msg))
	}
	if want := 2 * 200_000 * 8 * time.Second / 50_000_000; link.Ideal() != want {
		t.Fatalf("ideal %s, want %s", link.Ideal(), want)
	}
	// and after Close, reads and writes fail instead of hanging
	c.Close()
	if _, err := c.Read(got); err == nil {
		t.Fatal("read after close succeeded")
	}
	if _, err := c.Write(msg); err == nil {
		t.Fatal("write after close succeeded")
	}
}

func TestServerCloseArrivesAfterItsData(t *testing.T) {
	// given a server that sends a few bytes and hangs up
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		c.Write([]byte("selamat"))
		c.Close()
	}()
	c, err := New(1_000_000, 5*time.Millisecond).DialContext(t.Context(), "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// when the client reads to the end
	got, err := io.ReadAll(c)
	// then it gets every byte and then EOF
	if err != nil || string(got) != "selamat" {
		t.Fatalf("read %q, %v", got, err)
	}
}
