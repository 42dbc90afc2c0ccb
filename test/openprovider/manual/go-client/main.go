// Drives Custos with the Go client behind the Openprovider Terraform provider
// (charpand/openprovider-go, internal/client), by hand. It imports the client's internal
// packages, so it is built inside the client's module: see ../README.md.
package main

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync/atomic"

	"github.com/charpand/terraform-provider-openprovider/internal/client"
	"github.com/charpand/terraform-provider-openprovider/internal/client/customers"
)

var failures int

func check(ok bool, what string) {
	if ok {
		fmt.Println("ok   " + what)
	} else {
		fmt.Println("FAIL " + what)
		failures++
	}
}

// countingTransport counts login calls, to see the client log in again exactly once on a 401.
type countingTransport struct{ logins int32 }

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/auth/login") {
		atomic.AddInt32(&t.logins, 1)
	}
	return http.DefaultTransport.RoundTrip(r)
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: custos-check <base url> <username> <password>")
		os.Exit(2)
	}
	transport := &countingTransport{}
	c := client.NewClient(client.Config{
		BaseURL:    os.Args[1],
		Username:   os.Args[2],
		Password:   os.Args[3],
		Token:      "0123456789abcdef0123456789abcdef", // stale: the first call gets a 401
		HTTPClient: &http.Client{Transport: transport},
	})

	list, err := customers.List(c)
	check(err == nil, fmt.Sprintf("list with a stale token succeeds after a re-login (err=%v)", err))
	check(atomic.LoadInt32(&transport.logins) == 1, "exactly one login on the 401")
	_ = list

	handle, err := customers.Create(c, &customers.CreateCustomerRequest{
		Email:   "gopher@example.com",
		Name:    customers.Name{FirstName: "Go", LastName: "Pher", Initials: "G."},
		Phone:   customers.Phone{CountryCode: "+1", AreaCode: "212", Number: "5550123"},
		Address: customers.Address{Street: "Main St", Number: "1", Zipcode: "10001", City: "New York", State: "NY", Country: "US"},
		Locale:  "en_US",
	})
	check(err == nil && strings.HasSuffix(handle, "-US"), fmt.Sprintf("create answers a handle (%s, err=%v)", handle, err))

	got, err := customers.Get(c, handle)
	check(err == nil && got != nil, fmt.Sprintf("get decodes (err=%v)", err))
	if got != nil {
		check(got.ID > 0, fmt.Sprintf("id decodes as a Go int (%d)", got.ID))
		check(got.Name.FirstName == "Go" && got.Name.LastName == "Pher" && got.Name.Initials == "G.", "name")
		check(got.Phone.CountryCode == "+1" && got.Phone.AreaCode == "212" && got.Phone.Number == "5550123", "phone parts")
		check(got.Address.City == "New York" && got.Address.State == "NY", "address")
		check(got.Locale == "en-US", "locale")

		// Terraform updates send the whole resource, name included (unchanged).
		err = customers.Update(c, handle, &customers.UpdateCustomerRequest{
			Email:    "gopher2@example.com",
			Name:     &got.Name,
			Phone:    &got.Phone,
			Address:  &customers.Address{Street: "Broadway", Number: "2", Zipcode: "10004", City: "New York", State: "NY", Country: "US"},
			Comments: "managed by terraform",
		})
		check(err == nil, fmt.Sprintf("update with the unchanged name succeeds (err=%v)", err))
		again, _ := customers.Get(c, handle)
		check(again != nil && again.Email == "gopher2@example.com" && again.Address.Street == "Broadway" && again.Comments == "managed by terraform", "update took effect")
	}

	missing, err := customers.Get(c, "ZZ000000-ZZ")
	check(missing == nil && err == nil, "a missing handle reads as absent (404)")

	check(customers.Delete(c, handle) == nil, "delete succeeds")
	check(atomic.LoadInt32(&transport.logins) == 1, "no further logins")

	if failures == 0 {
		fmt.Println("all checks passed")
		return
	}
	fmt.Printf("%d check(s) failed\n", failures)
	os.Exit(1)
}
